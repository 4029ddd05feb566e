import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { runnerPolicyStatements } from "./failoverRunnerPolicy";
import { ObjectStore } from "../data/objectStore";

/** The Pulumi CLI the runner installs: the version of the @pulumi/pulumi SDK in package.json. */
export const PULUMI_CLI_VERSION = "3.248.0";

/** AWS-managed CodeBuild image with Node 20 (Amazon Linux 2023 standard 5.0). */
export const RUNNER_IMAGE = "aws/codebuild/amazonlinux-x86_64-standard:5.0";

/** Where CI uploads the project (`git archive --format zip HEAD`) for the runner. */
export const RUNNER_SOURCE_KEY = "source/payments-dr.zip";

export interface FailoverRunnerArgs {
  /** The dr stack the controller fails over (`--stack`). */
  readonly stackName: string;
  readonly projectName: string;
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  /** Failover state table (DynamoDB global table replica) in this Region. */
  readonly stateTableName: pulumi.Input<string>;
  /** The primary's control health check the controller inverts. */
  readonly controlHealthCheckId: pulumi.Input<string>;
  /** This Region's EKS cluster, whose node group the controller scales through `pulumi up`. */
  readonly clusterName: pulumi.Input<string>;
  /** The other Region of the pair: home of the source bucket's replica. */
  readonly peerRegion: string;
  /** KMS key in `peerRegion` for the source bucket's replica. */
  readonly replicaKeyArn: pulumi.Input<string>;
  /** The dr stack's data key in `peerRegion` (encrypts the promoted database's backup copies). */
  readonly peerDataKeyArn: pulumi.Input<string>;
  /** The dr database instance the failover promotes. */
  readonly databaseInstanceArn: pulumi.Input<string>;
  /** The Global Datastore and its members (the only cache groups the runner may fail over). */
  readonly globalDatastoreArns: pulumi.Input<string>[];
  /** Encrypts the source bucket and build artifacts. */
  readonly objectsKeyArn: pulumi.Input<string>;
  /** Encrypts the log group and the Pulumi access-token secret. */
  readonly messagingKeyArn: pulumi.Input<string>;
  /** Build timeout; the controller's own step timeouts should end it first. */
  readonly buildTimeoutMinutes: number;
  /** @default 365 */
  readonly logRetentionDays?: number;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The runner of an automatic failover: a CodeBuild project in the dr Region that runs the failover
 * controller (`npm run failover -- --to dr --yes --json`) with the Pulumi CLI, for as long as the
 * failover takes (a Lambda stops at 15 minutes). One build at a time.
 *
 * Source: the project zip CI uploads to this stack's runner bucket at `source/payments-dr.zip`.
 * State backend: Pulumi Cloud, with an access token operators store in the runner's secret.
 */
export class FailoverRunner extends pulumi.ComponentResource {
  public readonly projectName: pulumi.Output<string>;
  public readonly projectArn: pulumi.Output<string>;
  public readonly sourceBucketName: pulumi.Output<string>;
  public readonly tokenSecretArn: pulumi.Output<string>;

  constructor(name: string, args: FailoverRunnerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:FailoverRunner", name, {}, opts);
    const tags = args.tags ?? {};
    const region = args.region;

    // Versioned, SSE-KMS and replicated to the peer Region like every other bucket: the source is
    // rebuildable from git, but the policy pack (rightly) does not take that on trust.
    const store = new ObjectStore(
      `${name}-source`,
      {
        region,
        peerRegion: args.peerRegion,
        keyArn: args.objectsKeyArn,
        replicaKeyArn: args.replicaKeyArn,
        noncurrentVersionRetentionDays: 30,
        protect: false,
        tags,
      },
      { parent: this },
    );
    const source = { bucket: store.bucketName, arn: store.bucketArn };

    const token = new aws.secretsmanager.Secret(
      `${name}-pulumi-token`,
      {
        description: `Pulumi access token the failover runner of ${args.stackName} uses (set by operators)`,
        kmsKeyId: args.messagingKeyArn,
        recoveryWindowInDays: 7,
        region,
        tags,
      },
      { parent: this },
    );

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { retentionInDays: args.logRetentionDays ?? 365, kmsKeyId: args.messagingKeyArn, region, tags },
      { parent: this },
    );

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `CodeBuild runner of the failover controller for ${args.stackName} (${region})`,
        assumeRolePolicy: pulumi.output(args.accountId).apply((account) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { Service: "codebuild.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": account } },
              },
            ],
          }),
        ),
        tags,
      },
      { parent: this },
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.name,
        policy: pulumi
          .all([
            args.accountId,
            args.stateTableName,
            args.controlHealthCheckId,
            args.clusterName,
            source.arn,
            token.arn,
            logGroup.arn,
            args.objectsKeyArn,
            args.messagingKeyArn,
            args.peerDataKeyArn,
            args.databaseInstanceArn,
            // One string keeps pulumi.all's tuple typing; split again below.
            pulumi.all(args.globalDatastoreArns).apply((arns) => arns.join(" ")),
          ])
          .apply(
            ([
              accountId,
              table,
              control,
              cluster,
              bucket,
              secret,
              logs,
              objectsKey,
              messagingKey,
              peerDataKey,
              databaseArn,
              cacheArns,
            ]) =>
              JSON.stringify({
                Version: "2012-10-17",
                Statement: runnerPolicyStatements({
                  region,
                  accountId,
                  stateTableName: table,
                  controlHealthCheckId: control,
                  clusterName: cluster,
                  sourceBucketArn: bucket,
                  tokenSecretArn: secret,
                  logGroupArn: logs,
                  keyArns: [objectsKey, messagingKey],
                  peerRegion: args.peerRegion,
                  peerDataKeyArn: peerDataKey,
                  databaseInstanceArn: databaseArn,
                  globalDatastoreArns: cacheArns.split(" "),
                }),
              }),
          ),
      },
      { parent: this },
    );

    const project = new aws.codebuild.Project(
      `${name}-project`,
      {
        name: args.projectName,
        description: `Runs the failover controller: fails ${args.stackName} over to active`,
        serviceRole: role.arn,
        source: {
          type: "S3",
          location: pulumi.interpolate`${source.bucket}/${RUNNER_SOURCE_KEY}`,
          buildspec: runnerBuildspec(args.stackName),
        },
        artifacts: { type: "NO_ARTIFACTS" },
        environment: {
          type: "LINUX_CONTAINER",
          computeType: "BUILD_GENERAL1_SMALL",
          image: RUNNER_IMAGE,
          imagePullCredentialsType: "CODEBUILD",
          environmentVariables: [
            { name: "PULUMI_ACCESS_TOKEN", type: "SECRETS_MANAGER", value: token.arn },
            { name: "PULUMI_SKIP_UPDATE_CHECK", type: "PLAINTEXT", value: "true" },
          ],
        },
        // One build at a time: a second StartBuild while a failover runs is refused by CodeBuild.
        concurrentBuildLimit: 1,
        buildTimeout: args.buildTimeoutMinutes,
        queuedTimeout: 30,
        encryptionKey: args.objectsKeyArn,
        logsConfig: {
          cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name },
          s3Logs: { status: "DISABLED" },
        },
        region,
        tags,
      },
      { parent: this, dependsOn: [policy] },
    );

    this.projectName = project.name;
    this.projectArn = project.arn;
    this.sourceBucketName = source.bucket;
    this.tokenSecretArn = token.arn;
    this.registerOutputs({
      projectName: this.projectName,
      projectArn: this.projectArn,
      sourceBucketName: this.sourceBucketName,
      tokenSecretArn: this.tokenSecretArn,
    });
  }
}

/** The runner's build: install the pinned Pulumi CLI, install the project, run the controller. */
export function runnerBuildspec(stackName: string): string {
  return stringify({
    version: 0.2,
    phases: {
      install: {
        "runtime-versions": { nodejs: 22 },
        commands: [
          `curl -fsSL https://get.pulumi.com | sh -s -- --version ${PULUMI_CLI_VERSION}`,
          'export PATH="$HOME/.pulumi/bin:$PATH"',
        ],
      },
      build: { commands: ["npm ci", `npm run failover -- --to dr --stack ${stackName} --yes --json`] },
    },
  });
}
