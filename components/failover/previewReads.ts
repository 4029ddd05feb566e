/**
 * What the dr program reads from AWS while Pulumi previews it, as IAM actions: the failover
 * runner's reconcile step runs a full `up` (preview first), and every provider function the
 * program calls then runs with the runner's credentials. The runner's read permissions are derived
 * from this table; test/components/failover/previewReads.spec.ts renders the dr program, collects
 * every invoke it makes and fails if one is missing here or not granted.
 */

/**
 * IAM actions each provider function (invoke token) calls, read from the AWS provider's data
 * sources (terraform-provider-aws v6, which @pulumi/aws 7 wraps). An empty list is a function
 * answered from the provider's own tables, with no AWS call.
 */
export const INVOKE_IAM_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  "aws:index/getCallerIdentity:getCallerIdentity": ["sts:GetCallerIdentity"],
  // Answered from the provider's partition metadata.
  "aws:index/getPartition:getPartition": [],
  // v6 validates the Region against the account's Regions.
  "aws:index/getRegion:getRegion": ["ec2:DescribeRegions"],
  "aws:index/getAvailabilityZones:getAvailabilityZones": ["ec2:DescribeAvailabilityZones"],
  // route53/zone_data_source.go: ListHostedZones (filtered by name), GetHostedZone (name servers),
  // then ListTagsForResource (the data source's `tags`): the call the runner used to lack.
  "aws:route53/getZone:getZone": [
    "route53:ListHostedZones",
    "route53:GetHostedZone",
    "route53:ListTagsForResource",
  ],
  // A table of ELB log-delivery accounts inside the provider.
  "aws:elb/getServiceAccount:getServiceAccount": [],
};

/** The provider's own start-up: it resolves the account id before any invoke. */
export const PROVIDER_CONFIGURE_ACTIONS: readonly string[] = ["sts:GetCallerIdentity"];

/**
 * The provider functions the dr program calls in preview, in every mode (standby, active,
 * automatic failover): pinned against a rendering by the spec named above.
 */
export const DR_PREVIEW_INVOKES: readonly string[] = [
  "aws:elb/getServiceAccount:getServiceAccount",
  "aws:index/getCallerIdentity:getCallerIdentity",
  "aws:route53/getZone:getZone",
];

/** The IAM actions a preview calling `tokens` needs, sorted and de-duplicated. */
export function previewReadActions(tokens: Iterable<string>): string[] {
  const actions = new Set<string>(PROVIDER_CONFIGURE_ACTIONS);
  for (const token of tokens) {
    const mapped = INVOKE_IAM_ACTIONS[token];
    if (!mapped) {
      throw new Error(
        `No IAM actions known for provider function ${token}: add what its data source calls to ` +
          "INVOKE_IAM_ACTIONS in components/failover/previewReads.ts, so the failover runner may preview the dr stack.",
      );
    }
    mapped.forEach((action) => actions.add(action));
  }
  return [...actions].sort();
}
