/**
 * At-rest entries for file systems, streams, queues, topics, vaults, EC2 block devices declared
 * inline on instances and launch templates, and CloudWatch log groups.
 */
import { bool, get, list, show, str, UNKNOWN } from "../lib/values";
import { AtRestConfig, AtRestState, AtRestType, always, isSet } from "./encryptionState";

const FILE_AND_STREAM_TYPES: readonly AtRestType[] = [
  {
    type: "aws:fsx/lustreFileSystem:LustreFileSystem",
    prefix: "fsx-lustre-file-system",
    label: "FSx for Lustre file system",
    // Scratch deployments are encrypted with an AWS-managed key only.
    state: (p) => ({
      ...always(p, "kmsKeyId"),
      cmkSupported: !/^SCRATCH/.test(String(str(p, "deploymentType") ?? "")),
    }),
  },
  {
    type: "aws:fsx/windowsFileSystem:WindowsFileSystem",
    prefix: "fsx-windows-file-system",
    label: "FSx for Windows file system",
    state: (p) => always(p, "kmsKeyId"),
  },
  {
    type: "aws:fsx/ontapFileSystem:OntapFileSystem",
    prefix: "fsx-ontap-file-system",
    label: "FSx for ONTAP file system",
    state: (p) => always(p, "kmsKeyId"),
  },
  {
    type: "aws:fsx/openZfsFileSystem:OpenZfsFileSystem",
    prefix: "fsx-openzfs-file-system",
    label: "FSx for OpenZFS file system",
    state: (p) => always(p, "kmsKeyId"),
  },
  {
    type: "aws:kinesis/stream:Stream",
    prefix: "kinesis-stream",
    label: "Kinesis stream",
    state: (p) => {
      const type = str(p, "encryptionType");
      return {
        encrypted: type === UNKNOWN ? UNKNOWN : type === "KMS",
        expected: 'encryptionType: "KMS"',
        actual: `encryptionType: ${show(type)}`,
        key: get(p, "kmsKeyId"),
        keyArg: "kmsKeyId",
        cmkSupported: true,
      };
    },
  },
  {
    type: "aws:sqs/queue:Queue",
    prefix: "sqs-queue",
    label: "SQS queue",
    state: (p) => {
      const key = get(p, "kmsMasterKeyId");
      const managed = bool(p, "sqsManagedSseEnabled");
      return {
        encrypted: isSet(key) || managed !== false,
        expected: "kmsMasterKeyId (or sqsManagedSseEnabled: true)",
        actual: "sqsManagedSseEnabled: false and no kmsMasterKeyId",
        key,
        keyArg: "kmsMasterKeyId",
        cmkSupported: true,
        defaultKey: "SQS-managed encryption (SSE-SQS)",
      };
    },
  },
  {
    type: "aws:sns/topic:Topic",
    prefix: "sns-topic",
    label: "SNS topic",
    state: (p) => {
      const key = get(p, "kmsMasterKeyId");
      return {
        encrypted: isSet(key),
        expected: "kmsMasterKeyId set",
        actual: "kmsMasterKeyId: not set",
        key,
        keyArg: "kmsMasterKeyId",
        cmkSupported: true,
      };
    },
  },
  {
    // ECR encrypts every repository; encryptionType KMS with kmsKey names a customer-managed key.
    type: "aws:ecr/repository:Repository",
    prefix: "ecr-repository",
    label: "ECR repository",
    state: (p) => {
      const type = str(p, "encryptionConfigurations", 0, "encryptionType");
      const kms = type === "KMS" || type === "KMS_DSSE";
      return {
        encrypted: type === UNKNOWN ? UNKNOWN : true,
        expected: 'encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: <customer key> }]',
        actual: `encryptionType: ${show(type ?? "AES256")}`,
        key: kms ? get(p, "encryptionConfigurations", 0, "kmsKey") : undefined,
        keyArg: "encryptionConfigurations[0].kmsKey",
        keyPath: ["encryptionConfigurations", 0, "kmsKey"],
        cmkSupported: true,
        defaultKey: kms ? "the AWS-managed key aws/ecr" : "AES256 with an Amazon S3-managed key",
      };
    },
  },
  {
    type: "aws:backup/vault:Vault",
    prefix: "backup-vault",
    label: "AWS Backup vault",
    state: (p) => always(p, "kmsKeyArn", "the AWS-managed key aws/backup"),
  },
];

interface Device {
  readonly name: string;
  readonly ebs: unknown;
  /** The path of its `kmsKeyId` in the resource's props. */
  readonly keyPath: (string | number)[];
}

/** EBS volumes declared inline: every one must be encrypted, or the data on it is not. */
function blockDevices(devices: Device[], where: string, none: string): AtRestState {
  if (devices.length === 0)
    return {
      encrypted: false,
      expected: `${where} declaring the root volume with encrypted: true`,
      actual: `${none} (the root volume then follows the AMI and the account default, which the pack cannot see)`,
      cmkSupported: true,
    };
  for (const device of devices) {
    const encrypted = bool(device.ebs, "encrypted");
    if (encrypted === UNKNOWN)
      return {
        encrypted: UNKNOWN,
        expected: "encrypted: true",
        actual: `${device.name}.encrypted: unknown until apply`,
        cmkSupported: true,
      };
    if (encrypted !== true)
      return {
        encrypted: false,
        expected: `${device.name}.encrypted: true`,
        actual: `${device.name}.encrypted: ${show(encrypted)}`,
        cmkSupported: true,
      };
  }
  // Every device is encrypted; the key checked is the first device's (the root volume's).
  return {
    encrypted: true,
    expected: "",
    key: get(devices[0].ebs, "kmsKeyId"),
    keyArg: `${devices[0].name}.kmsKeyId`,
    keyPath: devices[0].keyPath,
    cmkSupported: true,
  };
}

/** Keys of the devices after the first, which `blockDevices` leaves to this check. */
function otherDeviceKeys(devices: Device[], config: AtRestConfig): string[] {
  if (!config.requireCustomerManagedKey) return [];
  return devices.slice(1).flatMap((device) => {
    if (bool(device.ebs, "encrypted") !== true) return []; // reported as unencrypted already
    const key = get(device.ebs, "kmsKeyId");
    return key === undefined || (typeof key === "string" && /(^|:)alias\/aws\//.test(key))
      ? [
          `${device.name} is not encrypted with a customer-managed key: expected ${device.name}.kmsKeyId set to one, found ${show(key)}.`,
        ]
      : [];
  });
}

function instanceDevices(p: Record<string, unknown>): Device[] {
  const root = get(p, "rootBlockDevice");
  const others = list(p, "ebsBlockDevices");
  return [
    ...(root ? [{ name: "rootBlockDevice", ebs: root, keyPath: ["rootBlockDevice", "kmsKeyId"] }] : []),
    ...(others === UNKNOWN
      ? [{ name: "ebsBlockDevices", ebs: UNKNOWN, keyPath: ["ebsBlockDevices"] }]
      : others.map((ebs, i) => ({
          name: `ebsBlockDevices[${i}]`,
          ebs,
          keyPath: ["ebsBlockDevices", i, "kmsKeyId"],
        }))),
  ];
}

function templateDevices(p: Record<string, unknown>, key: string, ebsKey: string): Device[] {
  const mappings = list(p, key);
  if (mappings === UNKNOWN) return [{ name: key, ebs: UNKNOWN, keyPath: [key] }];
  return mappings
    .map((m, i) => ({ m, i }))
    .filter(({ m }) => get(m, "virtualName") === undefined && get(m, "noDevice") === undefined)
    .map(({ m, i }) => ({
      name: `${key}[${i}].${ebsKey}`,
      ebs: get(m, ebsKey) ?? {},
      keyPath: [key, i, ebsKey, "kmsKeyId"],
    }));
}

const COMPUTE_AND_LOG_TYPES: readonly AtRestType[] = [
  {
    type: "aws:ec2/instance:Instance",
    prefix: "ec2-instance-block-device",
    label: "EC2 instance block device",
    state: (p) => blockDevices(instanceDevices(p), "rootBlockDevice", "no rootBlockDevice"),
    extra: (p, config) => otherDeviceKeys(instanceDevices(p), config),
  },
  {
    type: "aws:ec2/spotInstanceRequest:SpotInstanceRequest",
    prefix: "ec2-spot-instance-block-device",
    label: "EC2 spot instance block device",
    state: (p) => blockDevices(instanceDevices(p), "rootBlockDevice", "no rootBlockDevice"),
    extra: (p, config) => otherDeviceKeys(instanceDevices(p), config),
  },
  {
    type: "aws:ec2/launchTemplate:LaunchTemplate",
    prefix: "ec2-launch-template-block-device",
    label: "EC2 launch template block device",
    state: (p) =>
      blockDevices(
        templateDevices(p, "blockDeviceMappings", "ebs"),
        "blockDeviceMappings",
        "no blockDeviceMappings",
      ),
    extra: (p, config) => otherDeviceKeys(templateDevices(p, "blockDeviceMappings", "ebs"), config),
  },
  {
    type: "aws:cloudwatch/logGroup:LogGroup",
    prefix: "cloudwatch-log-group",
    label: "CloudWatch log group",
    state: (p) => always(p, "kmsKeyId", "the CloudWatch Logs service key"),
  },
];

export const AT_REST_FILE_AND_STREAM_TYPES: readonly AtRestType[] = [
  ...FILE_AND_STREAM_TYPES,
  ...COMPUTE_AND_LOG_TYPES,
];
