/**
 * Mocked lookups compute and traffic make: the existing public hosted zone and the Region's ELB
 * log-delivery account.
 */
import { deterministicHex, uuidFrom } from "../synth";

/** Account Elastic Load Balancing writes access logs from, by Region (ELB user guide). */
export const ELB_LOG_ACCOUNTS: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "ca-central-1": "985666609251",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-central-1": "054676820928",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-northeast-1": "582318560864",
  "sa-east-1": "507241528517",
};

/** Mock of `aws.elb.getServiceAccount`: fails like the provider for a Region it does not know. */
export function elbServiceAccount(args: Readonly<Record<string, unknown>>, stackRegion: string) {
  const where = String(args.region ?? stackRegion);
  const account = ELB_LOG_ACCOUNTS[where];
  if (!account)
    throw new Error(`Unknown ELB service account for Region ${where}: add it to ELB_LOG_ACCOUNTS.`);
  return { id: account, arn: `arn:aws:iam::${account}:root`, region: where };
}

/**
 * Mock of `aws.route53.getZone`: the public hosted zone exists (it holds the registered domain);
 * a private zone or a lookup without a name fails like the provider's "no matching zone found".
 */
export function hostedZoneLookup(args: Readonly<Record<string, unknown>>) {
  const name = typeof args.name === "string" ? args.name.replace(/\.$/, "") : "";
  if (!name || args.privateZone === true || args.zoneId !== undefined) {
    throw new Error(
      `no matching Route 53 Hosted Zone found (mock knows public zones by name only): ${JSON.stringify(args)}`,
    );
  }
  const zoneId = `Z${deterministicHex(`zone|${name}`, 20).toUpperCase()}`;
  const servers = [
    `ns-${parseInt(deterministicHex(`${name}|1`, 3), 16)}.awsdns-01.org`,
    `ns-${parseInt(deterministicHex(`${name}|2`, 3), 16)}.awsdns-02.co.uk`,
    `ns-${parseInt(deterministicHex(`${name}|3`, 3), 16)}.awsdns-03.com`,
    `ns-${parseInt(deterministicHex(`${name}|4`, 3), 16)}.awsdns-04.net`,
  ];
  return {
    id: zoneId,
    zoneId,
    arn: `arn:aws:route53:::hostedzone/${zoneId}`,
    name,
    callerReference: uuidFrom(`zone|${name}|caller`),
    comment: "Registered domain (created outside this project)",
    nameServers: servers,
    primaryNameServer: servers[0],
    privateZone: false,
    resourceRecordSetCount: 2,
    linkedServiceDescription: "",
    linkedServicePrincipal: "",
    tags: {},
  };
}
