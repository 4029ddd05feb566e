import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { lambdaFunction } from "../lambda/lambdaFunction";
import { restoreJobCompletedPattern } from "./restoreEvents";
import { restoreCompletedStatements } from "./restoreTestingPolicies";

export interface RestoreAutomationArgs {
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  readonly stackName: string;
  /** The operators' topic (the failover trigger's) and the key that encrypts it. */
  readonly operatorTopicArn: pulumi.Input<string>;
  readonly messagingKeyArn: pulumi.Input<string>;
  /**
   * Log retention of the function.
   *
   * @default 365
   */
  readonly logRetentionDays?: number;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * When a restore job that is not a restore test completes in this Region, a function records an
 * OpsItem (what was restored, from which recovery point, where, the original resource's tags) and
 * notifies the operators (functions/restoreCompleted).
 */
export class RestoreAutomation extends pulumi.ComponentResource {
  public readonly functionName: pulumi.Output<string>;
  public readonly ruleName: pulumi.Output<string>;

  constructor(name: string, args: RestoreAutomationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:RestoreAutomation", name, {}, opts);
    const tags = args.tags ?? {};
    const region = args.region;
    const fn = lambdaFunction(
      `${name}-function`,
      {
        source: "restoreCompleted",
        description: "Records completed restores in OpsCenter and notifies operators",
        environment: { OPERATOR_TOPIC_ARN: args.operatorTopicArn, STACK_NAME: args.stackName },
        statements: restoreCompletedStatements(args),
        region,
        tags,
        logKeyArn: args.messagingKeyArn,
        retentionDays: args.logRetentionDays ?? 365,
      },
      this,
    );
    const rule = new aws.cloudwatch.EventRule(
      `${name}-rule`,
      {
        description: "Restore jobs COMPLETED: the function keeps those that are not restore tests",
        eventPattern: JSON.stringify(restoreJobCompletedPattern()),
        region,
        tags,
      },
      { parent: this },
    );
    new aws.cloudwatch.EventTarget(
      `${name}-target`,
      { rule: rule.name, arn: fn.arn, region },
      { parent: this },
    );
    new aws.lambda.Permission(
      `${name}-invoke`,
      {
        function: fn.name,
        action: "lambda:InvokeFunction",
        principal: "events.amazonaws.com",
        sourceArn: rule.arn,
        region,
      },
      { parent: this },
    );
    this.functionName = fn.name;
    this.ruleName = rule.name;
    this.registerOutputs({ functionName: this.functionName, ruleName: this.ruleName });
  }
}
