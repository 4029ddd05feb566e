import * as assert from "assert";
import { ALB_LOGS_SSE_S3_REASON, SSE_S3_REASON_TAG } from "../../../components/traffic/ingress";
import { find, findAll, renderTestStack } from "../../helpers/stacks";

describe("ingress", function () {
  // Renders whole stacks under the mock runtime.
  this.timeout(300_000);
  it("exposes an internet-facing ALB in the public subnets that drops invalid headers and logs access", async () => {
    const dr = await renderTestStack("dr");
    const alb = find(dr, "aws:lb/loadBalancer:LoadBalancer", "ingress-alb");
    const bucket = find(dr, "aws:s3/bucket:Bucket", "ingress-access-logs-bucket");
    const sg = find(dr, "aws:ec2/securityGroup:SecurityGroup", "ingress-alb-sg");
    assert.deepStrictEqual(
      {
        loadBalancerType: alb.inputs.loadBalancerType,
        internal: alb.inputs.internal,
        subnets: alb.inputs.subnets,
        securityGroups: alb.inputs.securityGroups,
        dropInvalidHeaderFields: alb.inputs.dropInvalidHeaderFields,
        enableDeletionProtection: alb.inputs.enableDeletionProtection,
        accessLogs: alb.inputs.accessLogs,
        region: alb.region,
      },
      {
        loadBalancerType: "application",
        internal: false,
        subnets: (dr.outputs.network as Record<string, unknown>).publicSubnetIds,
        securityGroups: [sg.id],
        dropInvalidHeaderFields: true,
        enableDeletionProtection: true,
        accessLogs: { bucket: bucket.outputs.bucket, prefix: "alb", enabled: true },
        region: "us-west-2",
      },
    );
    assert.match(
      String(alb.outputs.dnsName),
      /^ingress-alb-[0-9a-f]{7}-\d{10}\.us-west-2\.elb\.amazonaws\.com$/,
    );
  });

  it("admits only HTTPS (443) and talks only to the VPC on the target port and to the pods' group on theirs", async () => {
    const primary = await renderTestStack("primary");
    const sg = find(primary, "aws:ec2/securityGroup:SecurityGroup", "ingress-alb-sg");
    const ingress = findAll(primary, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
      (r) => r.inputs.securityGroupId === sg.id,
    );
    assert.deepStrictEqual(
      ingress.map(({ inputs }) => [
        inputs.ipProtocol,
        inputs.fromPort,
        inputs.toPort,
        inputs.cidrIpv4 ?? inputs.cidrIpv6,
      ]),
      [
        ["tcp", 443, 443, "0.0.0.0/0"],
        ["tcp", 443, 443, "::/0"],
      ],
    );
    const egress = findAll(primary, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter(
      (r) => r.inputs.securityGroupId === sg.id,
    );
    const cluster = find(primary, "aws:eks/cluster:Cluster", "eks-cluster");
    const clusterSg = (cluster.outputs.vpcConfig as { clusterSecurityGroupId: string })
      .clusterSecurityGroupId;
    assert.deepStrictEqual(
      egress.map(({ inputs }) => [
        inputs.ipProtocol,
        inputs.fromPort,
        inputs.toPort,
        inputs.cidrIpv4 ?? inputs.referencedSecurityGroupId,
      ]),
      // The pods' rule comes with the workload layer (lb-controller-alb-to-pods): port 8080 into
      // the cluster security group the nodes use.
      [
        ["tcp", 8443, 8443, "10.10.0.0/16"],
        ["tcp", 8080, 8080, clusterSg],
      ],
    );
    const fromAlb = find(
      primary,
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      "lb-controller-pods-from-alb",
    );
    assert.deepStrictEqual(
      [
        fromAlb.inputs.securityGroupId,
        fromAlb.inputs.referencedSecurityGroupId,
        fromAlb.inputs.fromPort,
        fromAlb.inputs.toPort,
      ],
      [clusterSg, sg.id, 8080, 8080],
    );
  });

  it("terminates TLS with the configured policy and a DNS-validated certificate for the failover name", async () => {
    const primary = await renderTestStack("primary");
    const https = find(primary, "aws:lb/listener:Listener", "ingress-https");
    const cert = find(primary, "aws:acm/certificate:Certificate", "ingress-certificate");
    const targets = find(primary, "aws:lb/targetGroup:TargetGroup", "ingress-app");
    assert.deepStrictEqual(
      {
        port: https.inputs.port,
        protocol: https.inputs.protocol,
        sslPolicy: https.inputs.sslPolicy,
        certificateArn: https.inputs.certificateArn,
        defaultActions: https.inputs.defaultActions,
      },
      {
        port: 443,
        protocol: "HTTPS",
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
        certificateArn: cert.outputs.arn,
        defaultActions: [{ type: "forward", targetGroupArn: targets.outputs.arn }],
      },
    );
    assert.strictEqual(cert.inputs.domainName, "api.payments.example.com");
    assert.strictEqual(cert.inputs.validationMethod, "DNS");
    assert.match(String(cert.outputs.arn), /^arn:aws:acm:us-east-1:111122223333:certificate\//);
  });

  it("validates the certificate in the existing zone with a record kept on delete (shared by both stacks)", async () => {
    const primary = await renderTestStack("primary");
    const dr = await renderTestStack("dr");
    const record = find(primary, "aws:route53/record:Record", "ingress-certificate-validation");
    const option = (
      find(primary, "aws:acm/certificate:Certificate", "ingress-certificate").outputs
        .domainValidationOptions as Record<string, string>[]
    )[0];
    assert.deepStrictEqual(record.inputs, {
      zoneId: record.inputs.zoneId,
      name: option.resourceRecordName,
      type: "CNAME",
      records: [option.resourceRecordValue],
      ttl: 300,
      allowOverwrite: true,
    });
    assert.strictEqual(record.retainOnDelete, true);
    const drRecord = find(dr, "aws:route53/record:Record", "ingress-certificate-validation");
    assert.deepStrictEqual(drRecord.inputs, record.inputs);
    const validation = find(
      primary,
      "aws:acm/certificateValidation:CertificateValidation",
      "ingress-certificate-validated",
    );
    assert.deepStrictEqual(validation.inputs.validationRecordFqdns, [
      option.resourceRecordName.replace(/\.$/, ""),
    ]);
  });

  it("redirects plain HTTP to HTTPS and never forwards it", async () => {
    const primary = await renderTestStack("primary");
    const http = find(primary, "aws:lb/listener:Listener", "ingress-http-redirect");
    assert.deepStrictEqual(http.inputs.defaultActions, [
      { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
    ]);
    assert.strictEqual(http.inputs.certificateArn, undefined);
  });

  it("targets pod IPs over HTTPS and checks the configured health path", async () => {
    const targets = find(await renderTestStack("dr"), "aws:lb/targetGroup:TargetGroup", "ingress-app");
    assert.deepStrictEqual(
      { targetType: targets.inputs.targetType, port: targets.inputs.port, protocol: targets.inputs.protocol },
      { targetType: "ip", port: 8443, protocol: "HTTPS" },
    );
    assert.deepStrictEqual(targets.inputs.healthCheck, {
      enabled: true,
      protocol: "HTTPS",
      path: "/healthz",
      matcher: "200",
      interval: 10,
      timeout: 5,
      healthyThreshold: 2,
      unhealthyThreshold: 2,
    });
  });

  describe("access-log bucket", () => {
    it("uses SSE-S3, the only encryption ALB log delivery supports, and says so in a tag", async () => {
      const dr = await renderTestStack("dr");
      const bucket = find(dr, "aws:s3/bucket:Bucket", "ingress-access-logs-bucket");
      const sse = find(
        dr,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "ingress-access-logs-encryption",
      );
      assert.deepStrictEqual(sse.inputs.rules, [
        { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ]);
      assert.strictEqual(sse.inputs.bucket, bucket.outputs.bucket);
      assert.strictEqual(
        (bucket.inputs.tags as Record<string, string>)[SSE_S3_REASON_TAG],
        ALB_LOGS_SSE_S3_REASON,
      );
      assert.match(ALB_LOGS_SSE_S3_REASON, /^[\w\s.:/=+\-@]+$/, "S3 tag values allow only these characters");
    });

    it("blocks public access and lets only ELB log delivery write, over TLS only", async () => {
      const dr = await renderTestStack("dr");
      const bucket = find(dr, "aws:s3/bucket:Bucket", "ingress-access-logs-bucket");
      const block = find(
        dr,
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "ingress-access-logs-public-access",
      );
      assert.deepStrictEqual(
        [
          block.inputs.blockPublicAcls,
          block.inputs.blockPublicPolicy,
          block.inputs.ignorePublicAcls,
          block.inputs.restrictPublicBuckets,
        ],
        [true, true, true, true],
      );
      const policy = JSON.parse(
        String(find(dr, "aws:s3/bucketPolicy:BucketPolicy", "ingress-access-logs-policy").inputs.policy),
      );
      const arn = bucket.outputs.arn;
      assert.deepStrictEqual(policy.Statement, [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [arn, `${arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
          Sid: "ElbAccountWritesLogs",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::797873946194:root" },
          Action: "s3:PutObject",
          Resource: `${arn}/alb/AWSLogs/111122223333/*`,
        },
        {
          Sid: "ElbLogDeliveryWritesLogs",
          Effect: "Allow",
          Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `${arn}/alb/AWSLogs/111122223333/*`,
        },
      ]);
    });
  });

  it("replicates the access logs within 15 minutes (RTC) to a peer-Region bucket whose default key is that Region's", async () => {
    const primary = await renderTestStack("primary");
    const source = find(primary, "aws:s3/bucket:Bucket", "ingress-access-logs-bucket");
    const replica = find(primary, "aws:s3/bucket:Bucket", "ingress-access-logs-replica-bucket");
    const peerKeys = primary.outputs.peerKeys as Record<string, string>;
    assert.deepStrictEqual([source.region, replica.region], ["us-east-1", "us-west-2"]);
    const replicaSse = find(
      primary,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "ingress-access-logs-replica-encryption",
    );
    assert.deepStrictEqual(replicaSse.inputs.rules, [
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: peerKeys.objects },
        bucketKeyEnabled: true,
      },
    ]);
    assert.match(peerKeys.objects, /^arn:aws:kms:us-west-2:/);
    const replication = find(
      primary,
      "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
      "ingress-access-logs-replication",
    );
    assert.strictEqual(replication.inputs.bucket, source.outputs.bucket);
    assert.deepStrictEqual((replication.inputs.rules as Record<string, unknown>[])[0].destination, {
      bucket: replica.outputs.arn,
      storageClass: "STANDARD",
      encryptionConfiguration: { replicaKmsKeyId: peerKeys.objects },
      replicationTime: { status: "Enabled", time: { minutes: 15 } },
      metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
    });
    for (const name of ["ingress-access-logs-versioning", "ingress-access-logs-replica-versioning"]) {
      const versioning = find(primary, "aws:s3/bucketVersioning:BucketVersioning", name);
      assert.deepStrictEqual(versioning.inputs.versioningConfiguration, { status: "Enabled" });
    }
  });

  it("publishes the endpoint URL of the failover record", async () => {
    const primary = await renderTestStack("primary");
    const alb = find(primary, "aws:lb/loadBalancer:LoadBalancer", "ingress-alb");
    assert.deepStrictEqual(primary.outputs.ingress, {
      loadBalancerArn: alb.outputs.arn,
      loadBalancerDnsName: alb.outputs.dnsName,
      endpointUrl: "https://api.payments.example.com",
    });
  });
});
