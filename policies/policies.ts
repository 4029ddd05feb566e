/**
 * The pack's policies, as one explicit array (no registration by import side effect). Tests and
 * the offline runner import this module; only `index.ts` hands it to `new PolicyPack`.
 */
import { Policies } from "@pulumi/policy";
import { crossRegionPolicies } from "./cross-region/crossRegion";
import { storageClassPolicies } from "./cross-region/storageClasses";
import { atRestPolicies } from "./encryption/encryptionAtRest";
import { kmsKeyOwnerVerified } from "./encryption/keyOwner";
import { keyProofPolicies } from "./encryption/keyProof";
import { restoreProofPolicies } from "./encryption/restoreProof";
import { typeJudged } from "./inventory/typeJudged";
import { resiliencePolicies } from "./resilience/resilience";
import { rpoPolicies } from "./resilience/rpoEstimate";
import { strategyPolicies } from "./resilience/strategyTargets";
import { s3Policies } from "./s3/s3";
import { transitPolicies } from "./encryption/transit";
import { pvcStorageEncrypted } from "./workload/storageClasses";
import { workloadImageRegion } from "./workload/workloadImages";

export const PACK_NAME = "payments-dr";

export const policies: Policies = [
  ...atRestPolicies,
  kmsKeyOwnerVerified,
  ...keyProofPolicies,
  ...restoreProofPolicies,
  typeJudged,
  ...s3Policies,
  ...transitPolicies,
  ...crossRegionPolicies,
  ...storageClassPolicies,
  ...resiliencePolicies,
  ...rpoPolicies,
  workloadImageRegion,
  pvcStorageEncrypted,
  ...strategyPolicies,
];
