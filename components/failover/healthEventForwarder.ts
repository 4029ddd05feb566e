import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { healthEventPattern } from "./healthEvents";

export interface HealthEventForwarderArgs {
  /** The primary Region: the rule sits on its default bus, where its Health events arrive. */
  readonly region: string;
  /** The dr Region, whose default bus receives the forwarded events. */
  readonly peerRegion: string;
  readonly accountId: pulumi.Input<string>;
  /** AWS Health service codes to forward (components/failover/healthEvents.ts). */
  readonly healthServices: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Forwards the primary Region's AWS Health events for the topology's services to the dr Region's
 * default bus (a cross-Region EventBridge target with its role). It carries what AWS does not send
 * to the dr Region itself, above all account-specific events. It runs IN the primary Region, so it
 * fails with that Region: it is an early warning, never the only signal. The primary stack owns it
 * (it knows the peer bus's ARN without reading the dr stack); the dr stack owning it would make the
 * failover's `pulumi up` depend on the Region it fails away from.
 */
export class HealthEventForwarder extends pulumi.ComponentResource {
  public readonly ruleName: pulumi.Output<string>;
  public readonly roleArn: pulumi.Output<string>;
  /** The dr Region's default bus. */
  public readonly targetBusArn: pulumi.Output<string>;

  constructor(name: string, args: HealthEventForwarderArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:HealthEventForwarder", name, {}, opts);
    if (args.region === args.peerRegion) {
      throw new Error(
        `HealthEventForwarder: region = peerRegion = ${args.region}: forwarding is to another Region's bus.`,
      );
    }
    const { region } = args;
    const tags = args.tags ?? {};
    const busArn = pulumi.interpolate`arn:aws:events:${args.peerRegion}:${args.accountId}:event-bus/default`;

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `EventBridge forwards AWS Health events from ${region} to ${args.peerRegion}`,
        assumeRolePolicy: pulumi.output(args.accountId).apply((accountId) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { Service: "events.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
              },
            ],
          }),
        ),
        tags,
      },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-put-events`,
      {
        role: role.name,
        policy: busArn.apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "events:PutEvents", Resource: arn }],
          }),
        ),
      },
      { parent: this },
    );
    const rule = new aws.cloudwatch.EventRule(
      `${name}-rule`,
      {
        description: `Forwards AWS Health events about ${region} to ${args.peerRegion} (fails with ${region})`,
        eventPattern: JSON.stringify(healthEventPattern(args.healthServices, [region, "global"])),
        region,
        tags,
      },
      { parent: this },
    );
    new aws.cloudwatch.EventTarget(
      `${name}-target`,
      { rule: rule.name, arn: busArn, roleArn: role.arn, region },
      { parent: this },
    );

    this.ruleName = rule.name;
    this.roleArn = role.arn;
    this.targetBusArn = busArn;
    this.registerOutputs({ ruleName: this.ruleName, roleArn: this.roleArn, targetBusArn: busArn });
  }
}
