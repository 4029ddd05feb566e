/** The OpenSearch domain (leader on primary, follower on dr). */
import { nonEmptyText, positiveInteger, startingWith } from "../fields";
import { SectionConfig } from "../section";

export const searchFields = {
  engineVersion: startingWith("OpenSearch_").default("OpenSearch_2.17"),
  instanceType: nonEmptyText().default("r6g.large.search"),
  instanceCount: positiveInteger().default(3),
  volumeSizeGb: positiveInteger().default(100),
};

export type SearchConfig = SectionConfig<typeof searchFields>;
