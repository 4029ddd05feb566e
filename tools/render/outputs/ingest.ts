/**
 * Synthesised outputs for the ingest path's SQS queues and Lambda event source mappings, shaped as
 * the provider reports them. SNS topics and subscriptions, Lambda functions and CloudWatch alarms
 * are synthesised in ./compute.ts (shared with the failover trigger).
 */
import { arn, Synthesizer, uuidFrom } from "../synth";

export const ingestSynthesizers: Record<string, Synthesizer> = {
  // The provider's id for a queue is its URL.
  "aws:sqs/queue:Queue": (input) => {
    const url = `https://sqs.${input.region}.amazonaws.com/${input.accountId}/${input.physicalName}`;
    return {
      id: url,
      outputs: {
        arn: arn("sqs", input.region, input.accountId, input.physicalName),
        url,
        name: input.physicalName,
      },
    };
  },

  "aws:lambda/eventSourceMapping:EventSourceMapping": (input) => {
    const uuid = uuidFrom(input.urn);
    return {
      id: uuid,
      outputs: {
        uuid,
        arn: arn("lambda", input.region, input.accountId, `event-source-mapping:${uuid}`),
        functionArn: input.inputs.functionName,
      },
    };
  },
};
