/**
 * Backup vaults as copy targets: which declared vault an ARN names (account- and
 * partition-qualified) and the key each vault type encrypts with.
 */
import { provenKey, ProvenKey } from "../lib/keys";
import { StackIndex, StackNode } from "../lib/stackIndex";
import { str, UNKNOWN } from "../lib/values";

export const VAULT_TYPES = [
  "aws:backup/vault:Vault",
  "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault",
];

/**
 * A vault by ARN. While a declared vault's own ARN is unknown (preview), the vault of the name and
 * Region the ARN carries (`...:backup-vault:<name>`), provided the ARN's partition is that Region's
 * and its account is the stack's (an ARN of another account or partition is that account's vault,
 * whatever its name). Once the vault's ARN is known, only an exact match counts.
 */
export function findVault(index: StackIndex, arn: string): StackNode | undefined {
  const byArn = index.find(VAULT_TYPES, arn);
  if (byArn.length > 0) return byArn[0];
  const [, partition, , region, account] = arn.split(":");
  const name =
    arn
      .split(":")
      .pop()
      ?.replace(/^backup-vault\//, "") ?? "";
  return index
    .find(VAULT_TYPES, name)
    .find(
      (v) =>
        v.region === region &&
        str(v.props, "arn") === UNKNOWN &&
        partition === partitionOf(region) &&
        stackAccounts(index).has(account),
    );
}

/** The AWS partition of a Region. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("us-iso-")) return "aws-iso";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  return "aws";
}

const accounts = new WeakMap<StackIndex, Set<string>>();
/** Accounts of the ARNs the stack's own resources report (known `arn` outputs). */
function stackAccounts(index: StackIndex): Set<string> {
  let found = accounts.get(index);
  if (!found) {
    found = new Set(
      index.nodes
        .map((n) => str(n.props, "arn"))
        .filter((a): a is string => typeof a === "string" && a.startsWith("arn:"))
        .map((a) => a.split(":")[4])
        .filter((a) => /^\d{12}$/.test(a)),
    );
    accounts.set(index, found);
  }
  return found;
}

/**
 * The key a vault encrypts with, attributed through dependencies at preview: a standard vault's
 * `kmsKeyArn`, a logically air-gapped vault's `encryptionKeyArn` (absent: an AWS-owned key).
 */
export function vaultKey(index: StackIndex, vault: StackNode): ProvenKey {
  return provenKey(index, vault, [VAULT_KEY_PROPS[vault.type] ?? "kmsKeyArn"]);
}

export const VAULT_KEY_PROPS: Record<string, string> = {
  "aws:backup/vault:Vault": "kmsKeyArn",
  "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault": "encryptionKeyArn",
};

/**
 * Whether a copy into `vault` (in `region`) is encrypted with a key the pack can judge: a
 * customer-managed key in the vault's Region. A vault with no key (a standard vault's AWS-managed
 * `aws/backup`, an air-gapped vault's AWS-owned key) or an `alias/aws/*` key is not.
 */
export function vaultKeyVerdict(
  index: StackIndex,
  vault: StackNode,
  region: string,
  ruleName: string,
): { unknown?: string; problem?: string } {
  const key = vaultKey(index, vault);
  const prop = VAULT_KEY_PROPS[vault.type] ?? "kmsKeyArn";
  const to = `rule ${ruleName} copies to vault ${vault.name} in ${region}`;
  if (key.kind === "unknown")
    return { unknown: `vault ${vault.name}'s ${key.unknownBecause ?? "key is unknown"}` };
  if (key.kind === "none" || key.kind === "aws-managed")
    return {
      problem: `${to}, which encrypts with an AWS-owned or AWS-managed key (${prop}: ${key.kind === "none" ? "not set" : String(key.value)}): expected a customer-managed key in ${region}`,
    };
  if (key.region && key.region !== region)
    return { problem: `${to}, encrypted with a key in ${key.region}: expected a key in ${region}` };
  return {};
}
