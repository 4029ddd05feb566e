/**
 * Detection signals beside the probe (issue 16): on primary, the rule forwarding its AWS Health
 * events to the dr Region's bus; on dr, the Health rule, the business-metric anomaly alarm and the
 * composite alarm, all notifying the operator topic the failover trigger owns.
 */
import * as pulumi from "@pulumi/pulumi";
import { DetectionSignals } from "../components/failover/detectionSignals";
import { HealthEventForwarder } from "../components/failover/healthEventForwarder";
import { healthDelivery, TOPOLOGY_HEALTH_SERVICES } from "../components/failover/healthEvents";
import type { HealthForwarderOutputs, DetectionOutputs } from "./outputs";
import { StackContext } from "./context";

type Out<T> = { readonly [K in keyof T]: pulumi.Output<T[K]> | T[K] };

/** primary: the forwarder. */
export function composeHealthForwarder(ctx: StackContext): { healthForwarder: Out<HealthForwarderOutputs> } {
  const forwarder = new HealthEventForwarder("health-forwarder", {
    region: ctx.config.region,
    peerRegion: ctx.config.peerRegion,
    accountId: ctx.accountId,
    healthServices: TOPOLOGY_HEALTH_SERVICES,
    tags: ctx.tags,
  });
  return { healthForwarder: { ruleName: forwarder.ruleName, targetBusArn: forwarder.targetBusArn } };
}

/** dr: the signals, given the trigger's probe alarm and operator topic. */
export function composeDetection(
  ctx: StackContext,
  trigger: { alarmName: pulumi.Output<string>; operatorTopicArn: pulumi.Output<string> },
  alarmNamePrefix: string,
): { detection: Out<DetectionOutputs> } {
  const { config } = ctx;
  const signals = new DetectionSignals("detection", {
    region: config.region,
    accountId: ctx.accountId,
    primaryRegion: config.peerRegion,
    healthServices: TOPOLOGY_HEALTH_SERVICES,
    operatorTopicArn: trigger.operatorTopicArn,
    probeAlarmName: trigger.alarmName,
    alarmNamePrefix,
    tags: ctx.tags,
  });
  const delivery = healthDelivery(config.peerRegion, config.region);
  return {
    detection: {
      healthRuleName: signals.healthRuleName,
      anomalyAlarmName: signals.anomalyAlarmName,
      compositeAlarmName: signals.compositeAlarmName,
      healthDeliveredDirectly: delivery.direct,
      healthForwardedOnly: delivery.forwardedOnly,
    },
  };
}
