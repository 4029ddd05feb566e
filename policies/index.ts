// The CrossGuard entry point: `pulumi preview --policy-pack policies`. It starts the policy gRPC
// server and never returns, so nothing may import this file; import ./policies instead.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./policies";

new PolicyPack(PACK_NAME, { policies, enforcementLevel: "advisory" });
