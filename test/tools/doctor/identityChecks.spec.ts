import * as assert from "assert";
import { GetRoleCommand, NoSuchEntityException, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import {
  identityCheck,
  SERVICE_LINKED_ROLES,
  serviceLinkedRoleCheck,
} from "../../../tools/doctor/identityChecks";
import { context, lineOf, mocks, resetMocks } from "./fixtures";

const AUTOSCALING = SERVICE_LINKED_ROLES.find((r) => r.service === "autoscaling.amazonaws.com")!;
const noSuchRole = (name: string) =>
  new NoSuchEntityException({ message: `The role with name ${name} cannot be found.`, $metadata: {} });

describe("doctor: identity and service-linked roles", () => {
  beforeEach(resetMocks);

  it("passes with the account and ARN the credentials resolve to, and records them for later checks", async () => {
    mocks.sts.on(GetCallerIdentityCommand).resolves({
      Account: "111122223333",
      Arn: "arn:aws:sts::111122223333:assumed-role/deployer/ci",
      UserId: "AROA:ci",
    });
    const ctx = { ...context(), identity: undefined };
    assert.strictEqual(
      await lineOf(identityCheck, ctx),
      "PASS sts.identity: account 111122223333 as arn:aws:sts::111122223333:assumed-role/deployer/ci",
    );
    assert.deepStrictEqual(ctx.identity, {
      accountId: "111122223333",
      arn: "arn:aws:sts::111122223333:assumed-role/deployer/ci",
    });
  });

  it("fails with the credentials fix when the token has expired", async () => {
    mocks.sts.on(GetCallerIdentityCommand).rejects(
      Object.assign(new Error("The security token included in the request is expired"), {
        name: "ExpiredToken",
      }),
    );
    assert.strictEqual(
      await lineOf(identityCheck),
      "FAIL sts.identity: AWS refused or failed the call (ExpiredToken: The security token included in the request is expired). " +
        "Fix: configure valid AWS credentials for the target account (AWS_PROFILE, aws sso login), then run it again",
    );
  });

  it("fails with the read permission to grant when AWS denies the call", async () => {
    mocks.sts.on(GetCallerIdentityCommand).rejects(
      Object.assign(new Error("not authorized to perform: sts:GetCallerIdentity"), {
        name: "AccessDenied",
      }),
    );
    assert.strictEqual(
      await lineOf(identityCheck),
      "FAIL sts.identity: AWS refused or failed the call (AccessDenied: not authorized to perform: sts:GetCallerIdentity). " +
        "Fix: let the identity running the doctor call sts:GetCallerIdentity (read-only), then run it again",
    );
  });

  it("checks every service-linked role the stack's services need", () => {
    assert.deepStrictEqual(
      SERVICE_LINKED_ROLES.map((r) => r.roleName),
      [
        "AWSServiceRoleForAmazonEKS",
        "AWSServiceRoleForAmazonEKSNodegroup",
        "AWSServiceRoleForAutoScaling",
        "AWSServiceRoleForElasticLoadBalancing",
        "AWSServiceRoleForRDS",
        "AWSServiceRoleForElastiCache",
        "AWSServiceRoleForAmazonOpenSearchService",
        "AWSServiceRoleForRedshift",
        "AWSServiceRoleForBackup",
      ],
    );
  });

  it("passes when the service-linked role exists", async () => {
    mocks.iam.on(GetRoleCommand, { RoleName: "AWSServiceRoleForAutoScaling" }).resolves({
      Role: {
        RoleName: "AWSServiceRoleForAutoScaling",
        Path: "/aws-service-role/autoscaling.amazonaws.com/",
        Arn: "arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
        RoleId: "AROA1",
        CreateDate: new Date(),
      },
    });
    assert.strictEqual(
      await lineOf(serviceLinkedRoleCheck(AUTOSCALING)),
      "PASS iam.slr.autoscaling: AWSServiceRoleForAutoScaling exists",
    );
    assert.strictEqual(mocks.iam.commandCalls(SimulatePrincipalPolicyCommand).length, 0);
  });

  it("passes when it is absent but the deployer's role may create it, simulating the role's real ARN", async () => {
    mocks.iam
      .on(GetRoleCommand, { RoleName: "AWSServiceRoleForAutoScaling" })
      .rejects(noSuchRole("AWSServiceRoleForAutoScaling"));
    mocks.iam.on(GetRoleCommand, { RoleName: "deployer" }).resolves({
      Role: {
        RoleName: "deployer",
        Path: "/ci/",
        Arn: "arn:aws:iam::111122223333:role/ci/deployer",
        RoleId: "AROA2",
        CreateDate: new Date(),
      },
    });
    mocks.iam.on(SimulatePrincipalPolicyCommand).resolves({
      EvaluationResults: [{ EvalActionName: "iam:CreateServiceLinkedRole", EvalDecision: "allowed" }],
    });
    assert.strictEqual(
      await lineOf(serviceLinkedRoleCheck(AUTOSCALING)),
      "PASS iam.slr.autoscaling: AWSServiceRoleForAutoScaling does not exist yet; " +
        "arn:aws:sts::111122223333:assumed-role/deployer/ci may create it (AWS does on first use)",
    );
    assert.deepStrictEqual(mocks.iam.commandCalls(SimulatePrincipalPolicyCommand)[0].args[0].input, {
      PolicySourceArn: "arn:aws:iam::111122223333:role/ci/deployer",
      ActionNames: ["iam:CreateServiceLinkedRole"],
      ResourceArns: [
        "arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
      ],
      ContextEntries: [
        {
          ContextKeyName: "iam:AWSServiceName",
          ContextKeyType: "string",
          ContextKeyValues: ["autoscaling.amazonaws.com"],
        },
      ],
    });
  });

  it("fails when it is absent and the deployer may not create it, with the command an administrator runs", async () => {
    mocks.iam
      .on(GetRoleCommand, { RoleName: "AWSServiceRoleForAutoScaling" })
      .rejects(noSuchRole("AWSServiceRoleForAutoScaling"));
    mocks.iam.on(GetRoleCommand, { RoleName: "deployer" }).resolves({
      Role: {
        RoleName: "deployer",
        Path: "/",
        Arn: "arn:aws:iam::111122223333:role/deployer",
        RoleId: "R",
        CreateDate: new Date(),
      },
    });
    mocks.iam.on(SimulatePrincipalPolicyCommand).resolves({
      EvaluationResults: [{ EvalActionName: "iam:CreateServiceLinkedRole", EvalDecision: "implicitDeny" }],
    });
    assert.strictEqual(
      await lineOf(serviceLinkedRoleCheck(AUTOSCALING)),
      "FAIL iam.slr.autoscaling: AWSServiceRoleForAutoScaling does not exist and " +
        "arn:aws:sts::111122223333:assumed-role/deployer/ci may not create it (implicitDeny). " +
        "Fix: aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com (as an administrator), " +
        "or grant the deployer iam:CreateServiceLinkedRole for autoscaling.amazonaws.com",
    );
  });
});
