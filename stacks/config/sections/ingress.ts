/** The load balancer's HTTPS listener. */
import { matching } from "../fields";
import { SectionConfig } from "../section";

export const ingressFields = {
  /** ELB security policy for the HTTPS listener. */
  tlsPolicy: matching(/^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)/, {
    expected:
      "an ELB security policy that refuses TLS below 1.2 (ELBSecurityPolicy-TLS13-1-2-*, -TLS13-1-3-*, -TLS-1-2-*, -FS-1-2-*)",
  }).default("ELBSecurityPolicy-TLS13-1-2-2021-06"),
};

export type IngressConfig = SectionConfig<typeof ingressFields>;
