import * as assert from "assert";
import { mockClient } from "aws-sdk-client-mock";
import { CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand } from "@aws-sdk/client-cloudwatch";
import { parseFailoverArgs } from "../../automation/args";
import { UsageError } from "../../automation/errors";
import { formatRestoreTimes, readRestoreTimes } from "../../automation/restore/restoreTimes";
import { parseRestoreMeasurements } from "../../model/restoreTime";

const NOW = new Date("2026-12-05T12:00:00Z");
const cw = mockClient(CloudWatchClient);
const dims = (type: string, store: string) => [
  { Name: "ResourceType", Value: type },
  { Name: "Store", Value: store },
];

describe("restore-times: measured restore durations from CloudWatch (automation/restore)", () => {
  beforeEach(() => cw.reset());

  it("reads every store's datapoints of the last n days and writes max, count and latest per store", async () => {
    cw.on(ListMetricsCommand, { Namespace: "PaymentsDr/Restore", MetricName: "RestoreDurationSeconds" })
      .resolvesOnce({ Metrics: [{ Dimensions: dims("S3", "objects-app-bucket-ae7a306") }], NextToken: "t2" })
      .resolvesOnce({ Metrics: [{ Dimensions: dims("RDS", "payments-dr-primary") }] });
    cw.on(GetMetricStatisticsCommand, { Dimensions: dims("S3", "objects-app-bucket-ae7a306") }).resolves({
      Datapoints: [
        { Timestamp: new Date("2026-11-21T06:00:00Z"), Maximum: 2400, SampleCount: 1 },
        { Timestamp: new Date("2026-11-28T06:00:00Z"), Maximum: 2100, SampleCount: 1 },
      ],
    });
    cw.on(GetMetricStatisticsCommand, { Dimensions: dims("RDS", "payments-dr-primary") }).resolves({
      Datapoints: [],
    });

    const file = await readRestoreTimes(new CloudWatchClient({}), "us-west-2", NOW, 30);

    assert.deepStrictEqual(cw.commandCalls(ListMetricsCommand)[1].args[0].input, {
      Namespace: "PaymentsDr/Restore",
      MetricName: "RestoreDurationSeconds",
      NextToken: "t2",
    });
    assert.deepStrictEqual(cw.commandCalls(GetMetricStatisticsCommand)[0].args[0].input, {
      Namespace: "PaymentsDr/Restore",
      MetricName: "RestoreDurationSeconds",
      Dimensions: dims("S3", "objects-app-bucket-ae7a306"),
      StartTime: new Date("2026-11-05T12:00:00Z"),
      EndTime: NOW,
      Period: 3600,
      Statistics: ["Maximum", "SampleCount"],
      Unit: "Seconds",
    });
    assert.deepStrictEqual(file, {
      source: "CloudWatch PaymentsDr/Restore RestoreDurationSeconds (hourly Maximum, SampleCount)",
      region: "us-west-2",
      from: "2026-11-05T12:00:00.000Z",
      to: "2026-12-05T12:00:00.000Z",
      measurements: [
        {
          resourceType: "S3",
          store: "objects-app-bucket-ae7a306",
          seconds: 2400,
          samples: 2,
          latestAt: "2026-11-28T06:00:00.000Z",
        },
      ],
    });
    // What it writes is what the plan reads.
    assert.deepStrictEqual(
      parseRestoreMeasurements(JSON.parse(JSON.stringify(file)), "f.json"),
      file.measurements,
    );
    assert.strictEqual(
      formatRestoreTimes(file).split("\n")[1],
      "  S3        objects-app-bucket-ae7a306                   max 2400 s over 2 restore(s), latest hour 2026-11-28T06:00:00.000Z",
    );
  });

  it("parses the command: 30 days by default, --days 1..60, --out; refuses them on other commands", () => {
    assert.deepStrictEqual(
      [
        parseFailoverArgs(["restore-times"]).days,
        parseFailoverArgs(["restore-times", "--days", "7", "--out", "t.json"]),
      ],
      [
        30,
        {
          command: "restore-times",
          stack: "dr",
          dryRun: false,
          yes: false,
          json: false,
          execute: false,
          force: new Set(),
          resumeWindowMinutes: 60,
          peerTimeoutSeconds: 10,
          verbose: false,
          days: 7,
          out: "t.json",
        },
      ],
    );
    assert.throws(
      () => parseFailoverArgs(["restore-times", "--days", "90"]),
      (e: unknown) =>
        e instanceof UsageError &&
        e.message.startsWith('Invalid --days "90": expected a whole number of days from 1 to 60.'),
    );
    assert.throws(
      () => parseFailoverArgs(["--to", "dr", "--out", "x.json"]),
      (e: unknown) =>
        e instanceof UsageError && e.message.startsWith("--days and --out apply to restore-times only."),
    );
    assert.throws(
      () => parseFailoverArgs(["restore-times", "--yes"]),
      (e: unknown) => e instanceof UsageError && e.message.startsWith("restore-times is read-only"),
    );
  });
});
