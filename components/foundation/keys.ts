import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * What each customer-managed key protects. One key per purpose limits the blast radius of a key
 * policy mistake and lets audits read "which key encrypts what" from the name.
 */
export const KEY_PURPOSES = ["data", "objects", "backup", "messaging", "cluster"] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

/** Purposes a stack needs in the peer Region, for the copies of its own data that land there. */
export const PEER_KEY_PURPOSES = ["data", "objects", "backup"] as const;
export type PeerKeyPurpose = (typeof PEER_KEY_PURPOSES)[number];

export interface KeysArgs {
  /** The stack's Region: the home of the keys in `arns`. */
  readonly region: string;
  /** The other Region of the pair: the home of the keys in `peerArns`. */
  readonly peerRegion: string;
  readonly accountId: pulumi.Input<string>;
  /**
   * The multi-Region primary keys to replicate into `region`, by purpose.
   *
   * @default - none: this component creates multi-Region primary keys (the primary stack).
   */
  readonly primaryKeyArns?: Readonly<Record<KeyPurpose, pulumi.Input<string>>>;
  /**
   * Waiting period before a scheduled key deletion completes.
   *
   * @default 30 (the maximum: time to notice and cancel a mistaken deletion)
   */
  readonly deletionWindowDays?: number;
  /** Prefix of every key alias: `alias/<aliasPrefix>/<purpose>`. */
  readonly aliasPrefix: string;
  readonly tags?: Readonly<Record<string, string>>;
}

type KeyResource = aws.kms.Key | aws.kms.ReplicaKey;

/**
 * Customer-managed KMS keys for one stack.
 *
 * - In its own Region, one key per purpose: multi-Region primary keys with yearly rotation on the
 *   primary stack, replicas of those keys on the dr stack (rotation follows the primary key).
 * - In the peer Region, one single-Region key per copy purpose, owned by this stack, so the copies
 *   of this stack's data in the peer Region are declared, and encrypted, without depending on the
 *   other stack (DESIGN.md principles 2 and 3).
 */
export class Keys extends pulumi.ComponentResource {
  /** Key ARNs in the stack's own Region, by purpose. */
  public readonly arns: Record<KeyPurpose, pulumi.Output<string>>;
  /** Key ARNs in the peer Region for this stack's cross-Region copies, by purpose. */
  public readonly peerArns: Record<PeerKeyPurpose, pulumi.Output<string>>;
  public readonly keys: Record<KeyPurpose, KeyResource>;
  public readonly peerKeys: Record<PeerKeyPurpose, aws.kms.Key>;

  constructor(name: string, args: KeysArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:Keys", name, {}, opts);
    const deletionWindowInDays = args.deletionWindowDays ?? 30;
    const tags = args.tags ?? {};

    const keys = {} as Record<KeyPurpose, KeyResource>;
    for (const purpose of KEY_PURPOSES) {
      const policy = keyPolicy(purpose, args.region, args.accountId);
      const description = `payments-dr ${purpose} key (${args.region})`;
      const primaryKeyArn = args.primaryKeyArns?.[purpose];
      keys[purpose] = primaryKeyArn
        ? new aws.kms.ReplicaKey(
            `${name}-${purpose}`,
            { primaryKeyArn, description, policy, deletionWindowInDays, region: args.region, tags },
            { parent: this },
          )
        : new aws.kms.Key(
            `${name}-${purpose}`,
            {
              description,
              multiRegion: true,
              enableKeyRotation: true,
              rotationPeriodInDays: 365,
              deletionWindowInDays,
              policy,
              region: args.region,
              tags,
            },
            { parent: this },
          );
      new aws.kms.Alias(
        `${name}-${purpose}-alias`,
        {
          name: `alias/${args.aliasPrefix}/${purpose}`,
          targetKeyId: keys[purpose].keyId,
          region: args.region,
        },
        { parent: this },
      );
    }

    const peerKeys = {} as Record<PeerKeyPurpose, aws.kms.Key>;
    for (const purpose of PEER_KEY_PURPOSES) {
      peerKeys[purpose] = new aws.kms.Key(
        `${name}-${purpose}-peer`,
        {
          description: `payments-dr ${purpose} copies from ${args.region} (${args.peerRegion})`,
          enableKeyRotation: true,
          rotationPeriodInDays: 365,
          deletionWindowInDays,
          policy: keyPolicy(purpose, args.peerRegion, args.accountId),
          region: args.peerRegion,
          tags,
        },
        { parent: this },
      );
      new aws.kms.Alias(
        `${name}-${purpose}-peer-alias`,
        {
          name: `alias/${args.aliasPrefix}/${purpose}-copies`,
          targetKeyId: peerKeys[purpose].keyId,
          region: args.peerRegion,
        },
        { parent: this },
      );
    }

    this.keys = keys;
    this.peerKeys = peerKeys;
    this.arns = mapValues(keys, (key) => key.arn);
    this.peerArns = mapValues(peerKeys, (key) => key.arn);
    this.registerOutputs({ arns: this.arns, peerArns: this.peerArns });
  }
}

function mapValues<K extends string, V, R>(record: Record<K, V>, fn: (value: V) => R): Record<K, R> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v as V)])) as Record<K, R>;
}

/** Services that publish into encrypted topics and queues through the messaging key. */
const MESSAGING_SERVICES = [
  "cloudwatch.amazonaws.com",
  "sns.amazonaws.com",
  "s3.amazonaws.com",
  "events.amazonaws.com",
];

/** The Auto Scaling service-linked role: it launches the node groups' encrypted volumes. */
export function autoScalingServiceRoleArn(account: string): string {
  return `arn:aws:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
}

/**
 * Key policy: the account administers the key through IAM (the default AWS applies when no
 * policy is given), plus the service principals a purpose needs that IAM cannot grant.
 */
export function keyPolicy(
  purpose: KeyPurpose,
  region: string,
  accountId: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.output(accountId).apply((account) => {
    const statements: Record<string, unknown>[] = [
      {
        Sid: "AccountAdministersKeyThroughIam",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ];
    if (purpose === "messaging") {
      statements.push(
        {
          Sid: "ServicesPublishEncryptedMessages",
          Effect: "Allow",
          Principal: { Service: MESSAGING_SERVICES },
          Action: ["kms:GenerateDataKey*", "kms:Decrypt", "kms:Encrypt", "kms:DescribeKey"],
          Resource: "*",
          Condition: { StringEquals: { "aws:SourceAccount": account } },
        },
        // CloudWatch Logs calls KMS with the log group's ARN as encryption context, the condition
        // its documentation gives; it does not document aws:SourceAccount on these calls.
        {
          Sid: "CloudWatchLogsEncryptsLogGroups",
          Effect: "Allow",
          Principal: { Service: `logs.${region}.amazonaws.com` },
          Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          Resource: "*",
          Condition: {
            ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:${account}:*` },
          },
        },
      );
    }
    if (purpose === "cluster") {
      // Auto Scaling launches the node groups' encrypted volumes with its service-linked role, which
      // only the key policy can authorise. Naming that role as Principal fails in a fresh account
      // (it exists only after the first Auto Scaling group; KMS rejects unknown principals), and
      // creating it fails where it exists. So the principal is "*", narrowed by conditions KMS
      // evaluates per request: the role's exact ARN and this account. It grants what AWS's
      // documented statements grant that role, and is valid before and after the role exists.
      const asTheRole = {
        StringEquals: { "kms:CallerAccount": account },
        ArnEquals: { "aws:PrincipalArn": autoScalingServiceRoleArn(account) },
      };
      statements.push(
        {
          Sid: "AutoScalingUsesKeyForNodeVolumes",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
          Resource: "*",
          Condition: asTheRole,
        },
        {
          Sid: "AutoScalingGrantsKeyToEc2",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: "kms:CreateGrant",
          Resource: "*",
          Condition: { ...asTheRole, Bool: { "kms:GrantIsForAWSResource": true } },
        },
      );
    }
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
  });
}
