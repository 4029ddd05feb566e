import * as assert from "assert";
import { keyRef } from "../../policies/lib/values";
import { expectViolations, key, PRIMARY, resource, urnOf, violations } from "./fixtures";
import { bucket, T } from "./scenarios";

const POLICY = "kms-key-owner-verified";
const VOLUME = "aws:ebs/volume:Volume";
const volume = (kmsKeyId: string) => resource(VOLUME, "volume", { encrypted: true, kmsKeyId });
const declaredKey = (arn: string) =>
  resource(
    "aws:kms/key:Key",
    "key",
    { enableKeyRotation: true },
    { outputs: { arn, id: arn.split("/")[1] } },
  );

describe(POLICY, () => {
  it("cannot tell a key ARN's owner from the ARN: it flags the reference as a key id, not an alias", () => {
    assert.deepStrictEqual(keyRef(key(PRIMARY)), {
      kind: "customer",
      value: key(PRIMARY),
      region: PRIMARY,
      byKeyId: true,
    });
    assert.deepStrictEqual(keyRef("alias/payments-data"), {
      kind: "customer",
      value: "alias/payments-data",
      region: undefined,
      byKeyId: false,
    });
    assert.strictEqual(keyRef("alias/aws/ebs").kind, "aws-managed");
  });

  it("is advisory, and the mandatory at-rest rule does not fail on a key ARN it cannot judge", () => {
    assert.deepStrictEqual(violations([volume(key(PRIMARY))], "ebs-volume-encryption-at-rest"), []);
    assert.deepStrictEqual(
      violations([volume(key(PRIMARY))], POLICY).map((v) => v.enforcementLevel),
      ["advisory"],
    );
  });

  it("reports a key ARN whose key is not declared in the stack as of unverified owner", () =>
    expectViolations([volume(key(PRIMARY))], POLICY, [
      [
        urnOf(VOLUME, "volume"),
        `EBS volume uses kmsKeyId ${key(PRIMARY)}, a key not declared in this stack, so whether it is customer-managed cannot be verified`,
      ],
    ]));

  it("treats a key declared in the stack as customer-managed, by ARN or key id", () => {
    expectViolations([declaredKey(key(PRIMARY)), volume(key(PRIMARY))], POLICY, []);
    expectViolations([declaredKey(key(PRIMARY)), volume("1234abcd-12ab-34cd-56ef-1234567890ab")], POLICY, []);
  });

  it("accepts a custom alias and leaves AWS-managed aliases to the mandatory rules", () => {
    expectViolations([volume("alias/payments-data")], POLICY, []);
    expectViolations([volume("alias/aws/ebs")], POLICY, []);
  });

  it("checks S3 encryption configurations too", () =>
    expectViolations(bucket("app", PRIMARY), POLICY, [
      [urnOf(T.sse, "app-sse"), "S3 encryption configuration uses kmsMasterKeyId"],
    ]));
});
