/** The public hosted zone, the failover record in it, and the Route 53 health check. */
import { z } from "zod";
import { field, integerFrom, matching, nonEmptyText } from "../fields";
import { SectionConfig } from "../section";

export const dnsFields = {
  /** Public hosted zone that already exists (registered domain), e.g. `payments.example.com`. */
  zoneName: matching(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    expected: "a lower-case DNS name such as payments.example.com (no trailing dot)",
    example: "payments.example.com",
    missing: { expected: "the public hosted zone's name, e.g. payments.example.com" },
  }),
  /**
   * The zone's id (`Z...`). When set, the program does not look the zone up by name, so a preview
   * makes no Route 53 call (its control plane is in us-east-1, the primary's Region by default).
   * `""` means not set.
   */
  hostedZoneId: z.preprocess(
    (value) => (value === "" ? undefined : value),
    field(
      z
        .string()
        .regex(/^Z[0-9A-Z]{1,31}$/)
        .optional(),
      {
        expected: "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ",
        example: "Z0123456789ABCDEFGHIJ",
      },
    ),
  ),
  /** Label of the failover record inside the zone: `<recordName>.<zoneName>`. */
  recordName: nonEmptyText().default("api"),
  /** Consecutive failed checks (10 s apart) before Route 53 marks an endpoint unhealthy. */
  healthCheckFailureThreshold: integerFrom(1, 10).default(3),
  /** Path the HTTPS health check requests. */
  healthCheckPath: matching(/^\//, { expected: 'a URL path starting with "/"' }).default("/healthz"),
};

export type DnsConfig = SectionConfig<typeof dnsFields>;
