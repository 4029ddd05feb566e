/**
 * Synthesised outputs for compute and traffic: EKS, launch templates, load balancers, ACM,
 * Route 53, Lambda, SNS, CloudWatch alarms and rules, CodeBuild and Secrets Manager. Shapes follow
 * what the providers return (an ALB's DNS name is `<name>-<digits>.<region>.elb.amazonaws.com` with
 * its Region's canonical hosted zone; health-check ids are UUIDs; ACM gives the same validation
 * record for a domain to every certificate of an account).
 */
import { arn, deterministicHex, SynthInput, Synthesizer, uuidFrom } from "../synth";

/** Canonical hosted zone of Application Load Balancers, by Region (ELB endpoints table). */
export const ALB_ZONE_IDS: Readonly<Record<string, string>> = {
  "us-east-1": "Z35SXDOTRQ7X7K",
  "us-east-2": "Z3AADJGX6KTTL2",
  "us-west-1": "Z368ELLRRE2KJ0",
  "us-west-2": "Z1H1FL5HABSF5",
  "ca-central-1": "ZQSVJUPU6J1EY",
  "eu-west-1": "Z32O12XQLNTSW2",
  "eu-west-2": "ZHURV8PSTC4K8",
  "eu-central-1": "Z215JYRZR1TBD5",
  "ap-southeast-1": "Z1LMS91P8CMLE5",
  "ap-southeast-2": "Z1GM3OXH4ZPM65",
  "ap-northeast-1": "Z14GRHDCWA56QT",
  "sa-east-1": "Z2P70J7HTTTPLU",
};

function region(input: SynthInput): string {
  return input.region ?? "";
}

/** Decimal digits from the resource's hash, for ids AWS renders as numbers. */
function digits(input: SynthInput, length: number, salt: string): string {
  return BigInt(`0x${input.hex(24, salt)}`)
    .toString()
    .slice(0, length)
    .padStart(length, "1");
}

/** The bundle's hash the renderer recorded for an archive's `index.js`, else a hash of the URN. */
function codeHash(code: unknown): string {
  const assets = (code as { assets?: Record<string, { hash?: unknown }> } | undefined)?.assets ?? {};
  const hash = assets["index.js"]?.hash;
  return typeof hash === "string" ? hash : deterministicHex(JSON.stringify(code ?? null), 64);
}

function elbArn(input: SynthInput, resource: string): string {
  return arn("elasticloadbalancing", input.region, input.accountId, resource);
}

function securityGroupRule(input: SynthInput) {
  const id = `sgr-${input.hex(17, "rule")}`;
  return {
    id,
    outputs: {
      securityGroupRuleId: id,
      arn: arn("ec2", input.region, input.accountId, `security-group-rule/${id}`),
    },
  };
}

export const computeSynthesizers: Record<string, Synthesizer> = {
  "aws:eks/cluster:Cluster": (input) => {
    const name = input.physicalName;
    const endpointId = input.hex(32, "endpoint").toUpperCase();
    const vpcConfig = (input.inputs.vpcConfig ?? {}) as Record<string, unknown>;
    const ca = `-----BEGIN CERTIFICATE-----\nMII${input.hex(64, "ca")}\n-----END CERTIFICATE-----\n`;
    return {
      id: name,
      outputs: {
        name,
        arn: arn("eks", input.region, input.accountId, `cluster/${name}`),
        endpoint: `https://${endpointId}.gr7.${region(input)}.eks.amazonaws.com`,
        certificateAuthority: { data: Buffer.from(ca).toString("base64") },
        identities: [
          { oidcs: [{ issuer: `https://oidc.eks.${region(input)}.amazonaws.com/id/${endpointId}` }] },
        ],
        clusterId: uuidFrom(`${input.urn}|cluster`),
        platformVersion: "eks.1",
        status: "ACTIVE",
        vpcConfig: {
          ...vpcConfig,
          clusterSecurityGroupId: `sg-${input.hex(17, "cluster-sg")}`,
          vpcId: `vpc-${input.hex(17, "vpc")}`,
        },
      },
    };
  },

  "aws:eks/nodeGroup:NodeGroup": (input) => {
    const cluster = String(input.inputs.clusterName);
    // The provider's unique suffix: a timestamp plus a counter, 26 digits.
    const name = String(
      input.inputs.nodeGroupName ?? `${input.inputs.nodeGroupNamePrefix ?? ""}${digits(input, 26, "suffix")}`,
    );
    const uuid = uuidFrom(`${input.urn}|nodegroup`);
    return {
      id: `${cluster}:${name}`,
      outputs: {
        nodeGroupName: name,
        arn: arn("eks", input.region, input.accountId, `nodegroup/${cluster}/${name}/${uuid}`),
        status: "ACTIVE",
        resources: [
          { autoscalingGroups: [{ name: `eks-${name}-${uuid}` }], remoteAccessSecurityGroupId: "" },
        ],
      },
    };
  },

  "aws:eks/accessEntry:AccessEntry": (input) => {
    const cluster = String(input.inputs.clusterName);
    const principal = String(input.inputs.principalArn);
    const role = principal.split("/").pop();
    return {
      id: `${cluster}:${principal}`,
      outputs: {
        accessEntryArn: arn(
          "eks",
          input.region,
          input.accountId,
          `access-entry/${cluster}/role/${input.accountId}/${role}/${input.hex(8, "ae")}`,
        ),
        userName: principal,
      },
    };
  },

  "aws:ec2/launchTemplate:LaunchTemplate": (input) => {
    const id = `lt-${input.hex(17, "lt")}`;
    return {
      id,
      outputs: {
        arn: arn("ec2", input.region, input.accountId, `launch-template/${id}`),
        latestVersion: 1,
        defaultVersion: 1,
      },
    };
  },

  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": securityGroupRule,
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": securityGroupRule,

  "aws:lb/loadBalancer:LoadBalancer": (input) => {
    const name = input.physicalName.slice(0, 32);
    const zoneId = ALB_ZONE_IDS[region(input)];
    if (!zoneId)
      throw new Error(`No ALB hosted zone id for Region ${region(input)}: add it to ALB_ZONE_IDS.`);
    const suffix = `app/${name}/${input.hex(16, "lb")}`;
    return {
      id: elbArn(input, `loadbalancer/${suffix}`),
      outputs: {
        name,
        arn: elbArn(input, `loadbalancer/${suffix}`),
        arnSuffix: suffix,
        dnsName: `${name}-${digits(input, 10, "dns")}.${region(input)}.elb.amazonaws.com`,
        zoneId,
      },
    };
  },

  "aws:lb/targetGroup:TargetGroup": (input) => {
    const name = input.physicalName.slice(0, 32);
    const suffix = `targetgroup/${name}/${input.hex(16, "tg")}`;
    return { id: elbArn(input, suffix), outputs: { name, arn: elbArn(input, suffix), arnSuffix: suffix } };
  },

  "aws:lb/listener:Listener": (input) => {
    const listenerArn = `${String(input.inputs.loadBalancerArn).replace(":loadbalancer/", ":listener/")}/${input.hex(16, "listener")}`;
    return { id: listenerArn, outputs: { arn: listenerArn } };
  },

  "aws:acm/certificate:Certificate": (input) => {
    const domain = String(input.inputs.domainName);
    const certArn = arn("acm", input.region, input.accountId, `certificate/${uuidFrom(`${input.urn}|cert`)}`);
    // The same (account, domain) always gets the same validation record, whatever the Region.
    const seed = `${input.accountId}|${domain}`;
    return {
      id: certArn,
      outputs: {
        arn: certArn,
        status: "PENDING_VALIDATION",
        domainValidationOptions: [
          {
            domainName: domain,
            resourceRecordName: `_${deterministicHex(`${seed}|name`, 32)}.${domain}.`,
            resourceRecordType: "CNAME",
            resourceRecordValue: `_${deterministicHex(`${seed}|value`, 32)}.${deterministicHex(`${seed}|zone`, 10)}.acm-validations.aws.`,
          },
        ],
      },
    };
  },

  "aws:acm/certificateValidation:CertificateValidation": (input) => ({
    id: "2026-01-01 00:00:00 +0000 UTC",
    outputs: { certificateArn: input.inputs.certificateArn },
  }),

  "aws:route53/record:Record": (input) => {
    const name = String(input.inputs.name).replace(/\.$/, "");
    const parts = [input.inputs.zoneId, name, input.inputs.type, input.inputs.setIdentifier].filter(
      (p) => p !== undefined,
    );
    return { id: parts.join("_"), outputs: { fqdn: name } };
  },

  "aws:route53/healthCheck:HealthCheck": (input) => {
    const id = uuidFrom(`${input.urn}|healthcheck`);
    return { id, outputs: { arn: arn("route53", null, "", `healthcheck/${id}`) } };
  },

  "aws:lambda/function:Function": (input) => {
    const name = input.physicalName;
    const functionArn = arn("lambda", input.region, input.accountId, `function:${name}`);
    return {
      id: name,
      outputs: {
        name,
        arn: functionArn,
        qualifiedArn: `${functionArn}:$LATEST`,
        invokeArn: `arn:aws:apigateway:${region(input)}:lambda:path/2015-03-31/functions/${functionArn}/invocations`,
        version: "$LATEST",
        // The rendered `code` input is a summary (size and hash), not a valid archive: hand the
        // program no `code` back, and the provider's content hash instead.
        code: undefined,
        sourceCodeHash: Buffer.from(codeHash(input.inputs.code), "hex").toString("base64"),
      },
    };
  },

  "aws:lambda/permission:Permission": (input) => ({
    id: String(input.inputs.statementId ?? input.physicalName),
    outputs: {},
  }),

  "aws:sns/topic:Topic": (input) => {
    const topicArn = arn("sns", input.region, input.accountId, input.physicalName);
    return { id: topicArn, outputs: { arn: topicArn, name: input.physicalName, owner: input.accountId } };
  },

  "aws:sns/topicSubscription:TopicSubscription": (input) => {
    const subscriptionArn = `${String(input.inputs.topic)}:${uuidFrom(`${input.urn}|sub`)}`;
    return {
      id: subscriptionArn,
      outputs: {
        arn: subscriptionArn,
        pendingConfirmation: input.inputs.protocol === "email",
        ownerId: input.accountId,
      },
    };
  },

  "aws:cloudwatch/metricAlarm:MetricAlarm": (input) => ({
    id: input.physicalName,
    outputs: {
      name: input.physicalName,
      arn: arn("cloudwatch", input.region, input.accountId, `alarm:${input.physicalName}`),
    },
  }),

  "aws:cloudwatch/compositeAlarm:CompositeAlarm": (input) => {
    const alarmName = String(input.inputs.alarmName ?? input.physicalName);
    return {
      id: alarmName,
      outputs: { alarmName, arn: arn("cloudwatch", input.region, input.accountId, `alarm:${alarmName}`) },
    };
  },

  "aws:cloudwatch/eventRule:EventRule": (input) => ({
    id: input.physicalName,
    outputs: {
      name: input.physicalName,
      arn: arn("events", input.region, input.accountId, `rule/${input.physicalName}`),
    },
  }),

  "aws:cloudwatch/eventTarget:EventTarget": (input) => {
    const targetId = String(input.inputs.targetId ?? `terraform-${digits(input, 26, "target")}`);
    // `arn` is the target's ARN (an input the provider echoes), not a generated one.
    return { id: `${String(input.inputs.rule)}-${targetId}`, outputs: { targetId, arn: input.inputs.arn } };
  },

  "aws:codebuild/project:Project": (input) => {
    const projectArn = arn("codebuild", input.region, input.accountId, `project/${input.physicalName}`);
    return { id: projectArn, outputs: { name: input.physicalName, arn: projectArn, badgeUrl: "" } };
  },

  "aws:secretsmanager/secret:Secret": (input) => {
    const secretArn = arn(
      "secretsmanager",
      input.region,
      input.accountId,
      `secret:${input.physicalName}-${input.hex(6, "secret")}`,
    );
    return { id: secretArn, outputs: { arn: secretArn, name: input.physicalName } };
  },

  "aws:iam/rolePolicy:RolePolicy": (input) => ({
    id: `${String(input.inputs.role)}:${input.physicalName}`,
    outputs: { name: input.physicalName },
  }),
};
