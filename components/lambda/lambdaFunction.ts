import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bundleFunction, LAMBDA_RUNTIME } from "./lambdaBundle";

export interface LambdaSpec {
  /** Directory under functions/ holding handler.ts. */
  readonly source: string;
  readonly description: string;
  readonly environment: Record<string, pulumi.Input<string>>;
  readonly statements: Record<string, unknown>[];
}

/** A bundled Lambda with its own role (logs + the given statements) and encrypted log group. */
export function lambdaFunction(
  name: string,
  spec: LambdaSpec & {
    region: string;
    tags: Readonly<Record<string, string>>;
    logKeyArn: pulumi.Input<string>;
    retentionDays: number;
  },
  parent: pulumi.Resource,
): aws.lambda.Function {
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-logs`,
    { retentionInDays: spec.retentionDays, kmsKeyId: spec.logKeyArn, region: spec.region, tags: spec.tags },
    { parent },
  );
  const role = new aws.iam.Role(
    `${name}-role`,
    {
      description: spec.description,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      }),
      tags: spec.tags,
    },
    { parent },
  );
  const policy = new aws.iam.RolePolicy(
    `${name}-policy`,
    {
      role: role.name,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: pulumi.interpolate`${logGroup.arn}:*`,
          },
          ...spec.statements,
        ],
      }),
    },
    { parent },
  );
  return new aws.lambda.Function(
    name,
    {
      description: spec.description,
      runtime: LAMBDA_RUNTIME,
      handler: "index.handler",
      code: bundleFunction(spec.source),
      role: role.arn,
      timeout: 30,
      memorySize: 256,
      environment: { variables: spec.environment },
      loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
      region: spec.region,
      tags: spec.tags,
    },
    { parent, dependsOn: [policy] },
  );
}
