/**
 * Which checks a stack gets, running them in order, and the one line each prints.
 */
import type { StackConfig } from "../../stacks/config";
import { cacheCheck, databaseCheck, searchCheck, warehouseCheck } from "./engineChecks";
import { identityCheck, SERVICE_LINKED_ROLES, serviceLinkedRoleCheck } from "./identityChecks";
import { eksVersionCheck, hostedZoneCheck, lambdaRuntimeCheck } from "./platformChecks";
import { primaryOutputsCheck, StackOutputsReader } from "./primaryOutputs";
import { eipQuotaCheck, vcpuQuotaCheck, vpcQuotaCheck } from "./quotaChecks";
import { Check, DoctorContext, describeError } from "./types";

export interface CheckResult {
  readonly id: string;
  readonly status: "pass" | "fail";
  readonly detail: string;
  readonly fix?: string;
}

/** The checks for a stack, identity first (the others read who is deploying). */
export function doctorChecks(config: StackConfig, readOutputs: StackOutputsReader): Check[] {
  return [
    identityCheck,
    ...SERVICE_LINKED_ROLES.map(serviceLinkedRoleCheck),
    databaseCheck,
    cacheCheck,
    searchCheck,
    warehouseCheck,
    eksVersionCheck,
    lambdaRuntimeCheck(),
    hostedZoneCheck,
    vcpuQuotaCheck,
    vpcQuotaCheck,
    eipQuotaCheck,
    ...(config.role === "dr" ? [primaryOutputsCheck(readOutputs)] : []),
  ];
}

/** Runs every check, even after a failure: the operator gets the whole list in one go. */
export async function runChecks(checks: readonly Check[], ctx: DoctorContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    try {
      const outcome = await check.run(ctx);
      results.push(
        outcome.ok
          ? { id: check.id, status: "pass", detail: outcome.detail }
          : { id: check.id, status: "fail", detail: outcome.detail, fix: outcome.fix },
      );
    } catch (error) {
      results.push({
        id: check.id,
        status: "fail",
        detail: `AWS refused or failed the call (${describeError(error)})`,
        fix: fixFor(check, error),
      });
    }
  }
  return results;
}

/** Errors that mean "no usable credentials", not "this identity lacks a permission". */
const CREDENTIAL_ERRORS = [
  "CredentialsProviderError",
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidClientTokenId",
];

function fixFor(check: Check, error: unknown): string {
  if (error instanceof Error && CREDENTIAL_ERRORS.includes(error.name)) {
    return "configure valid AWS credentials for the target account (AWS_PROFILE, aws sso login), then run it again";
  }
  return check.actions.length > 0
    ? `let the identity running the doctor call ${check.actions.join(", ")} (read-only), then run it again`
    : "see the error above";
}

export function formatResult(result: CheckResult): string {
  return result.status === "pass"
    ? `PASS ${result.id}: ${result.detail}`
    : `FAIL ${result.id}: ${result.detail}. Fix: ${result.fix}`;
}

export function formatPlanned(check: Check, config: StackConfig): string {
  return `CHECK ${check.id}: ${check.describe(config)}`;
}
