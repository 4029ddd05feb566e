/**
 * `aws-datastore-type-judged`: a data store of a type the pack cannot judge is refused (default
 * deny) unless the policy config exempts its type with a written reason. Also refused: a
 * CloudFormation stack whose template declares a data store (or cannot be read), an SNS FIFO topic
 * with a message archive, a Kinesis stream kept longer than the default 24 hours — each holds data
 * the pack's copy rule does not see — and any `@pulumi/aws` type this pack has not classified.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { configOf } from "../lib/rule";
import { bool, get, num, str, UNKNOWN } from "../lib/values";
import { classify, UNJUDGED_STORE_TYPES } from "./storeTypes";

interface TypeJudgedConfig {
  readonly exemptions: Record<string, string>;
}

/** CloudFormation resource types that hold data (the services the pack judges or denies). */
const CFN_STORE =
  /AWS::(RDS|DynamoDB|S3|S3Express|S3Tables|EC2::(Volume|Instance|LaunchTemplate)|EFS|FSx|ElastiCache|MemoryDB|MSK|DocDB|DocDBElastic|Neptune|NeptuneGraph|Redshift|RedshiftServerless|OpenSearchService|OpenSearchServerless|Elasticsearch|Kinesis|KinesisFirehose|SQS|SNS|Backup|Timestream|Cassandra|DAX|QLDB|DSQL|Lightsail|AmazonMQ|ECR|CodeCommit|Glacier)::/;

const schema = {
  properties: {
    exemptions: {
      type: "object" as const,
      additionalProperties: { type: "string" as const, minLength: 1 },
      default: {},
      description:
        "Type token -> written reason: data store types the pack cannot judge that this stack accepts anyway.",
    },
  },
};

/** Why the resource holds data the pack cannot judge, or undefined. */
export function unjudgedStore(type: string, props: Record<string, unknown>): string | undefined {
  if (type === "aws:cloudformation/stack:Stack" || type === "aws:cloudformation/stackSet:StackSet") {
    const body = str(props, "templateBody");
    if (body === UNKNOWN) return "a CloudFormation stack whose templateBody is unknown until apply";
    if (body === undefined) return "a CloudFormation stack whose template (templateUrl) the pack cannot read";
    const match = CFN_STORE.exec(body);
    return match ? `a CloudFormation stack declaring ${match[0].replace(/::$/, "")} resources` : undefined;
  }
  if (type === "aws:sns/topic:Topic") {
    const fifo = bool(props, "fifoTopic");
    const archive = get(props, "archivePolicy");
    if (fifo !== false && fifo !== undefined && archive !== undefined && archive !== null && archive !== "")
      return "an SNS FIFO topic with a message archive (archivePolicy keeps messages for up to 365 days)";
    return undefined;
  }
  if (type === "aws:kinesis/stream:Stream") {
    const hours = num(props, "retentionPeriod");
    if (hours === UNKNOWN) return "a Kinesis stream whose retentionPeriod is unknown until apply";
    return hours !== undefined && hours > 24
      ? `a Kinesis stream keeping records for ${hours} hours (a store, not a transient buffer)`
      : undefined;
  }
  const classification = classify(type);
  if (classification === "unjudged-store")
    return UNJUDGED_STORE_TYPES[type] ? `a ${UNJUDGED_STORE_TYPES[type]}` : "an aws-native data store";
  if (classification === "unclassified")
    return "a resource type this pack has not classified (holding data or not)";
  return undefined;
}

export const typeJudged: ResourceValidationPolicy = {
  name: "aws-datastore-type-judged",
  description:
    "Refuses a data store the pack cannot judge (default deny): every type is either judged for encryption and cross-Region copy, listed as holding no data, or exempted in the policy config with a reason.",
  enforcementLevel: "mandatory",
  configSchema: schema,
  validateResource: (args, report) => {
    const why = unjudgedStore(args.type, args.props);
    if (!why) return;
    const config = configOf<TypeJudgedConfig>(schema, args.getConfig());
    if (typeof config.exemptions[args.type] === "string" && config.exemptions[args.type].trim() !== "")
      return;
    report(
      `cannot judge this data store type: ${args.name} (${args.type}) is ${why}, and no rule of this pack proves its encryption and its copy in another Region. ` +
        `Expected a type the pack judges, or "exemptions": { "${args.type}": "<why it is acceptable>" } under aws-datastore-type-judged in the policy config.`,
    );
  },
};
