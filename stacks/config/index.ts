/**
 * The stack configuration schema and its validation.
 *
 * `parseStackConfig` is pure: it takes the raw values a stack was given (from `Pulumi.<stack>.yaml`,
 * `pulumi config set` or the offline plan's `--set`) and returns a typed, fully-defaulted
 * `StackConfig`, or throws one `ConfigError` that names the key, the bad value, the allowed values
 * and the fix. Nothing here touches the Pulumi runtime, so every rule is unit-tested directly.
 *
 * The config is declared once with zod: a file per section under sections/ (types, defaults,
 * ranges, enums), the rules that relate fields in rules.ts, assembled in schema.ts. errors.ts and
 * precedence.ts turn zod's issues into the one message an operator gets.
 */
import { z } from "zod";
import { fieldError, translate } from "./errors";
import { positiveInteger as positiveIntegerField } from "./fields";
import { RawConfig } from "./keys";
import { FieldInfo, fieldInfo } from "./lookup";
import { firstIssue } from "./precedence";
import { CHECK_ORDER, configInput, StackConfig, stackConfigSchema } from "./schema";
import { awsRegionField } from "./sections/identity";
import { vpcCidrField } from "./sections/network";

export { cidrsOverlap, parseCidr } from "./cidr";
export { ConfigError } from "./errors";
export { PROJECT, PROJECT_KEYS, RawConfig } from "./keys";
export { checkModeTransition, checkStrategyTransition } from "./modeTransition";
export { StackConfig } from "./schema";
export { BackupConfig } from "./sections/backup";
export { CacheConfig } from "./sections/cache";
export { DatabaseConfig } from "./sections/database";
export { DnsConfig } from "./sections/dns";
export { EksConfig } from "./sections/eks";
export { FAILOVER_MODES, FailoverConfig, FailoverMode } from "./sections/failover";
export { Mode, MODES, Role, ROLES, Strategy, STRATEGIES } from "./sections/identity";
export { RestoreConfig } from "./sections/restore";
export { IngestConfig } from "./sections/ingest";
export { IngressConfig } from "./sections/ingress";
export { NetworkConfig } from "./sections/network";
export { SearchConfig } from "./sections/search";
export { TargetsConfig } from "./sections/targets";
export { WarehouseConfig } from "./sections/warehouse";
export { WorkloadConfig } from "./sections/workload";

/**
 * Turns a stack's raw configuration into a validated `StackConfig`.
 *
 * @throws ConfigError naming the first bad key, its value, the allowed values and the fix.
 */
export function parseStackConfig(raw: RawConfig, stackName: string): StackConfig {
  const input = configInput(raw, stackName);
  const result = stackConfigSchema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const context = { schema: stackConfigSchema, input, order: CHECK_ORDER, stackName };
  const issue = firstIssue(result.error.issues, context);
  if (!issue) throw new Error("zod refused the stack config without reporting an issue");
  throw translate(issue, context);
}

/** Checks one value against one field's schema, outside a whole stack config. */
function checkField<T>(key: string, schema: z.ZodType<T>, value: unknown, example?: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const info = fieldInfo(schema) as FieldInfo;
  throw fieldError(key, value, example === undefined ? info : { meta: { ...info.meta, example } }, "");
}

const positiveIntegerSchema = positiveIntegerField();
const awsRegionSchema = awsRegionField();
const vpcCidrSchema = vpcCidrField();

/** A whole number of at least 1, given as a number or as text. */
export function positiveInteger(key: string, value: unknown, example = "3"): number {
  return checkField(key, positiveIntegerSchema, value, example);
}

/** An AWS Region name such as us-east-1; absent or `""` is reported as missing. */
export function awsRegion(key: string, value: unknown): string {
  return checkField(key, awsRegionSchema, value);
}

/** An RFC 1918 VPC block with a /16 to /20 prefix. */
export function vpcCidr(key: string, value: unknown): string {
  return checkField(key, vpcCidrSchema, value);
}
