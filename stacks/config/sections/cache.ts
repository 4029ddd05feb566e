/** The ElastiCache (Valkey/Redis OSS) replication group and its Global Datastore. */
import { z } from "zod";
import { integerFrom, nonEmptyText, startingWith } from "../fields";
import { setHint } from "../errors";
import { projectKey } from "../keys";
import { SectionConfig } from "../section";

/** Global Datastore does not support burstable node types. */
const notBurstable = z.superRefine<string>((nodeType, ctx) => {
  if (!/^cache\.t\d/.test(nodeType)) return;
  ctx.addIssue({
    code: "custom",
    input: nodeType,
    params: {
      expected:
        "a non-burstable node type (cache.m*, cache.r*): ElastiCache Global Datastore does not support cache.t* types",
      fix: setHint(projectKey("cache.nodeType"), "cache.r7g.large"),
    },
  });
});

export const cacheFields = {
  /** Must not be a burstable (`cache.t*`) type: Global Datastore does not support them. */
  nodeType: startingWith("cache.", notBurstable).default("cache.r7g.large"),
  engineVersion: nonEmptyText().default("7.1"),
  replicasPerNodeGroup: integerFrom(1, 5).default(1),
};

export type CacheConfig = SectionConfig<typeof cacheFields>;
