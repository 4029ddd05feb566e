/**
 * The DR posture as a policy: every data store's best cross-Region mechanism declared in the stack
 * must have a modelled RPO within the target. The figures and the model are the offline plan's
 * (model/posture.ts). The rule sees one stack, as the engine does, so it counts only mechanisms that
 * stack declares (principle 3); the plan's posture also counts the peer stack's (a Global Datastore
 * secondary, the dr queue of the dual ingest), so the plan can call a store covered that the rule
 * still reports for its own stack.
 *
 * Advisory by default: the figures are modelled, not measured. A store with no cross-Region copy
 * at all is the mandatory `aws-datastore-cross-region-copy` rule's to report, not this one's.
 */
import { Policies } from "@pulumi/policy";
import { findCrossRegionLinks } from "../../model/links";
import { stackPosture } from "../../model/posture";
import { RenderedResource, RenderedStack } from "../../model/rendered";
import { stackRule } from "../lib/rule";
import { StackIndex, StackNode } from "../lib/stackIndex";

interface RpoConfig {
  readonly rpoSeconds: number;
  readonly maxReplicaLagSeconds: number;
}

/**
 * The props without the SDK's unknown-checking proxy: the posture model reads plain data, and an
 * unknown value (the engine's sentinel string) is then just a value it cannot match, never a throw.
 * At preview a store whose mechanism is known only through dependencies gets no modelled RPO here;
 * the mandatory aws-datastore-cross-region-copy rule proves or refuses its copy.
 */
export function plain(props: Record<string, unknown>): Record<string, unknown> {
  const target = (props as Record<string, unknown>)["__getSpecialProxyTarget"];
  return (target && typeof target === "object" ? target : props) as Record<string, unknown>;
}

export function asRendered(node: StackNode): RenderedResource {
  const props = plain(node.props);
  return {
    urn: node.urn,
    id: typeof props.id === "string" ? props.id : null,
    type: node.type,
    name: node.name,
    custom: true,
    parent: null,
    provider: null,
    region: typeof node.region === "string" ? node.region : null,
    inputs: props,
    outputs: props,
    dependencies: [...node.dependencies],
    protect: false,
    ignoreChanges: [],
    replaceOnChanges: [],
    deleteBeforeReplace: false,
    retainOnDelete: false,
  };
}

export const rpoEstimate = stackRule<RpoConfig>({
  name: "aws-datastore-rpo-estimate",
  description:
    "Requires the modelled RPO of each data store's best cross-Region mechanism declared in the stack to be within the RPO target.",
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      rpoSeconds: {
        type: "integer",
        minimum: 1,
        default: 900,
        description: "The stack's recovery point objective in seconds (payments-dr:targets.rpoSeconds).",
      },
      maxReplicaLagSeconds: {
        type: "integer",
        minimum: 1,
        default: 60,
        description:
          "Replica lag the failover preflight tolerates; the modelled RPO of asynchronous replicas.",
      },
    },
  },
  check: (index: StackIndex, config, report) => {
    const stack: RenderedStack = {
      stack: "policy",
      project: "payments-dr",
      config: {
        "payments-dr:role": "primary",
        "payments-dr:targets": { rpoSeconds: config.rpoSeconds },
        "payments-dr:failover": { maxReplicaLagSeconds: config.maxReplicaLagSeconds },
      },
      resources: index.nodes.map(asRendered),
      outputs: {},
    };
    const posture = stackPosture(stack, [stack], findCrossRegionLinks([stack]));
    for (const store of posture.stores) {
      // No mechanism at all (or only unbounded ones) is the cross-Region copy rule's finding.
      if (store.rpoSeconds === null || store.meetsRpoTarget) continue;
      const mechanisms = store.mechanisms
        .map((m) => `${m.kind} to ${m.targetRegion}: ${m.rpoSeconds ?? "unbounded"} s`)
        .join("; ");
      report(
        store.urn,
        `${store.type} ${store.name}: expected a cross-Region mechanism with a modelled RPO of at most ` +
          `${config.rpoSeconds} s, found at best ${store.rpoSeconds} s (${mechanisms}). Losing the Region would ` +
          "lose more recent writes than the target allows; add a faster mechanism (replication, replica, or a " +
          "tighter backup schedule) or revisit the target.",
      );
    }
  },
});

export const rpoPolicies: Policies = [rpoEstimate];
