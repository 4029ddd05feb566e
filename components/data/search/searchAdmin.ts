/**
 * The OpenSearch REST resources of a domain, run inside its VPC: a small Lambda (functions/searchAdmin)
 * in the private subnets, invoked by the program on create, update and delete through
 * `aws.lambda.Invocation` with `lifecycleScope: "CRUD"`, one invocation per REST resource:
 *
 * - `<name>-role-mappings`: security-plugin role mappings (operators, snapshots, cross-cluster
 *   replication in both directions);
 * - `<name>-snapshot-repository`: the S3 repository and its Snapshot Management schedule;
 * - `<name>-follow-rule` (a follower only): the cross-cluster replication auto-follow rule.
 *
 * The function's role is the domain's fine-grained access control master (only the master can map
 * roles on a new domain). Its IAM policy is the least that needs: signed HTTP calls to this domain,
 * `iam:PassRole` on the snapshot role only, the VPC network interfaces Lambda manages, its log group.
 * Its name is fixed per Region so the peer stack can map it without reading this stack.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bundleFunction, LAMBDA_RUNTIME } from "../../lambda/lambdaBundle";

/** The admin role of the stack in `region`: both stacks derive the other's from its Region. */
export function searchAdminRoleName(project: string, region: string): string {
  return `${project}-search-admin-${region}`;
}

export const DEFAULT_LEADER_CLUSTER_ROLE = "cross_cluster_replication_leader_full_access";
export const DEFAULT_FOLLOWER_CLUSTER_ROLE = "cross_cluster_replication_follower_full_access";

/**
 * Who holds which security role on a domain: operators (`operatorRoleArn`, the role people assume)
 * keep full administration; this stack's admin registers snapshots and follows the peer's domain;
 * the peer stack's admin follows this domain (after a failback the direction reverses).
 */
export function roleMappingsFor(arns: {
  operatorRoleArn: string;
  adminRoleArn: string;
  peerAdminRoleArn: string;
}): Record<string, string[]> {
  return {
    all_access: [arns.operatorRoleArn],
    security_manager: [arns.operatorRoleArn],
    // AWS requires this mapping for the IAM role that registers a repository (it passes the
    // snapshot role), even under fine-grained access control's master.
    manage_snapshots: [arns.adminRoleArn],
    [DEFAULT_FOLLOWER_CLUSTER_ROLE]: [arns.adminRoleArn],
    [DEFAULT_LEADER_CLUSTER_ROLE]: [arns.peerAdminRoleArn],
  };
}

export interface SearchAdminFunctionArgs {
  readonly domainName: string;
  readonly domainArn: pulumi.Input<string>;
  readonly endpoint: pulumi.Input<string>;
  readonly region: string;
  readonly role: aws.iam.Role;
  /** The role OpenSearch assumes to write snapshots. @default - none: no repository, no `iam:PassRole` */
  readonly snapshotRoleArn?: pulumi.Input<string>;
  readonly vpcId: pulumi.Input<string>;
  readonly vpcCidr: string;
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Key of the function's log group (the stack's messaging key). */
  readonly logKeyArn: pulumi.Input<string>;
  /** @default 30 */
  readonly logRetentionDays?: number;
  readonly tags: Readonly<Record<string, string>>;
}

/** The admin role, trusted by Lambda only; the domain names it as its master. */
export function searchAdminRole(
  name: string,
  roleName: string,
  domainName: string,
  tags: Readonly<Record<string, string>>,
  parent: pulumi.Resource,
): aws.iam.Role {
  return new aws.iam.Role(
    `${name}-admin-role`,
    {
      name: roleName,
      description: `Manages ${domainName}'s REST resources from inside its VPC (fine-grained access control master)`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      }),
      tags,
    },
    { parent },
  );
}

/** The function, its log group, its network access (HTTPS to the VPC only) and its permissions. */
export function searchAdminFunction(
  name: string,
  args: SearchAdminFunctionArgs,
  parent: pulumi.Resource,
): aws.lambda.Function {
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-admin-logs`,
    {
      retentionInDays: args.logRetentionDays ?? 30,
      kmsKeyId: args.logKeyArn,
      region: args.region,
      tags: args.tags,
    },
    { parent },
  );
  const securityGroup = new aws.ec2.SecurityGroup(
    `${name}-admin-security-group`,
    {
      description: `Search admin function of ${args.domainName}: HTTPS to the VPC only`,
      vpcId: args.vpcId,
      egress: [
        {
          description: "HTTPS to the domain",
          protocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrBlocks: [args.vpcCidr],
        },
      ],
      tags: args.tags,
    },
    { parent },
  );
  const policy = new aws.iam.RolePolicy(
    `${name}-admin-policy`,
    {
      role: args.role.name,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "SignedCallsToTheDomain",
            Effect: "Allow",
            Action: ["es:ESHttpGet", "es:ESHttpPut", "es:ESHttpPost", "es:ESHttpDelete"],
            Resource: pulumi.interpolate`${args.domainArn}/*`,
          },
          ...(args.snapshotRoleArn
            ? [
                {
                  Sid: "PassTheSnapshotRoleToOpenSearch",
                  Effect: "Allow",
                  Action: "iam:PassRole",
                  Resource: args.snapshotRoleArn,
                },
              ]
            : []),
          {
            // Lambda creates the function's network interfaces with the execution role; these
            // actions do not support resource-level permissions.
            Sid: "VpcNetworkInterfaces",
            Effect: "Allow",
            Action: [
              "ec2:CreateNetworkInterface",
              "ec2:DescribeNetworkInterfaces",
              "ec2:DescribeSubnets",
              "ec2:DeleteNetworkInterface",
              "ec2:AssignPrivateIpAddresses",
              "ec2:UnassignPrivateIpAddresses",
            ],
            Resource: "*",
          },
          {
            Sid: "Logs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: pulumi.interpolate`${logGroup.arn}:*`,
          },
        ],
      }),
    },
    { parent },
  );
  return new aws.lambda.Function(
    `${name}-admin`,
    {
      description: `Manages ${args.domainName}'s role mappings, snapshot repository and follow rule`,
      runtime: LAMBDA_RUNTIME,
      handler: "index.handler",
      code: bundleFunction("searchAdmin"),
      role: args.role.arn,
      // Bounded retries of every call (4 attempts, 30 s each at most) fit with room to spare.
      timeout: 300,
      memorySize: 256,
      vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [securityGroup.id] },
      environment: {
        variables: {
          DOMAIN_NAME: args.domainName,
          DOMAIN_ENDPOINT: args.endpoint,
          DOMAIN_REGION: args.region,
          ...(args.snapshotRoleArn ? { SNAPSHOT_ROLE_ARN: args.snapshotRoleArn } : {}),
        },
      },
      loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
      region: args.region,
      tags: args.tags,
    },
    { parent, dependsOn: [policy] },
  );
}

/**
 * One REST resource, invoked on create, update and delete. `input` holds only values known at
 * preview (names and settings from config, ARNs built from fixed names) so the policy pack can
 * read it; the domain's endpoint and the snapshot role reach the function through its environment.
 * Replacing it deletes the old resource first: both would carry the same REST names.
 */
export function restInvocation(
  name: string,
  fn: aws.lambda.Function,
  region: string,
  input: pulumi.Input<Record<string, unknown>>,
  opts: pulumi.CustomResourceOptions,
): aws.lambda.Invocation {
  return new aws.lambda.Invocation(
    name,
    { functionName: fn.name, input: pulumi.jsonStringify(input), lifecycleScope: "CRUD", region },
    { deleteBeforeReplace: true, ...opts },
  );
}
