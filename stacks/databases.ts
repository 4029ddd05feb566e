/**
 * The stack's databases: RDS PostgreSQL, ElastiCache Redis (Global Datastore) and OpenSearch
 * (cross-cluster replication on dr). Called by stacks/dataTier.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { StackContext } from "./context";

export interface DatabasesArgs {
  /** The search snapshot repository bucket (an ObjectStore replicated to the peer Region). */
  readonly searchSnapshotBucket: {
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
  };
}

export interface Databases {
  /** Shaped as `database`, `cache` and `search` in stacks/outputs.ts; values may be Outputs. */
  readonly outputs: {
    readonly database: {
      readonly instanceIdentifier: pulumi.Input<string>;
      readonly instanceArn: pulumi.Input<string>;
      readonly endpoint: pulumi.Input<string>;
      readonly isReplica: pulumi.Input<boolean>;
    };
    readonly cache: {
      readonly replicationGroupId: pulumi.Input<string>;
      readonly globalReplicationGroupId: pulumi.Input<string>;
      readonly isPrimaryMember: pulumi.Input<boolean>;
    };
    readonly search: {
      readonly domainName: pulumi.Input<string>;
      readonly domainArn: pulumi.Input<string>;
      readonly endpoint: pulumi.Input<string>;
      readonly connectionAlias?: pulumi.Input<string>;
      readonly followRuleName?: pulumi.Input<string>;
    };
  };
  /** ARNs AWS Backup should select in this stack (e.g. the RDS instance). */
  readonly backupResourceArns: pulumi.Output<string>[];
}

// Placeholder until the components land: the signature is the contract stacks/dataTier.ts uses.
export function composeDatabases(ctx: StackContext, args: DatabasesArgs): Databases {
  void args;
  const pending = pulumi.output("");
  return {
    outputs: {
      database: {
        instanceIdentifier: pending,
        instanceArn: pending,
        endpoint: pending,
        isReplica: ctx.config.role === "dr" && ctx.config.mode === "standby",
      },
      cache: {
        replicationGroupId: pending,
        globalReplicationGroupId: pending,
        isPrimaryMember: ctx.config.role === "primary",
      },
      search: { domainName: pending, domainArn: pending, endpoint: pending },
    },
    backupResourceArns: [],
  };
}
