/**
 * Mocked provider functions (invokes). An unknown token throws: a new data-source call must be
 * given a realistic answer here, never a silent empty one.
 */
import { MOCK_PARTITION } from "./synth";
import { elbServiceAccount, hostedZoneLookup } from "./outputs/computeLookups";

export interface InvokeContext {
  readonly accountId: string;
  readonly stackRegion: string;
}

type InvokeHandler = (args: Readonly<Record<string, unknown>>, ctx: InvokeContext) => Record<string, unknown>;

export const invokeHandlers: Readonly<Record<string, InvokeHandler>> = {
  "aws:index/getCallerIdentity:getCallerIdentity": (_args, ctx) => ({
    accountId: ctx.accountId,
    arn: `arn:${MOCK_PARTITION}:iam::${ctx.accountId}:role/payments-dr-deployer`,
    userId: "AROAEXAMPLEDEPLOYER:pulumi",
    id: ctx.accountId,
  }),
  "aws:index/getPartition:getPartition": () => ({
    partition: MOCK_PARTITION,
    dnsSuffix: "amazonaws.com",
    reverseDnsPrefix: "com.amazonaws",
    id: MOCK_PARTITION,
  }),
  "aws:index/getRegion:getRegion": (args, ctx) => {
    const region = String(args.region ?? ctx.stackRegion);
    return { name: region, region, endpoint: `ec2.${region}.amazonaws.com`, id: region };
  },
  "aws:index/getAvailabilityZones:getAvailabilityZones": (args, ctx) => {
    const region = String(args.region ?? ctx.stackRegion);
    const names = ["a", "b", "c"].map((s) => `${region}${s}`);
    return { names, zoneIds: names.map((_, i) => `use1-az${i + 1}`), id: region, state: "available" };
  },
  "aws:route53/getZone:getZone": (args) => hostedZoneLookup(args),
  "aws:elb/getServiceAccount:getServiceAccount": (args, ctx) => elbServiceAccount(args, ctx.stackRegion),
};

export function invoke(token: string, args: Readonly<Record<string, unknown>>, ctx: InvokeContext) {
  const handler = invokeHandlers[token];
  if (!handler) {
    throw new Error(
      `No mock for provider function ${token}: add a realistic answer to tools/render/invokes.ts.`,
    );
  }
  return handler(args, ctx);
}
