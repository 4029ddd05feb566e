/** The cluster's default StorageClass: encrypted gp3 volumes the backup layer finds by tag. */
import type * as k8s from "@pulumi/kubernetes";
import { StorageClass } from "./k8sResources";
import * as pulumi from "@pulumi/pulumi";

export const EBS_CSI_PROVISIONER = "ebs.csi.aws.com";
export const DEFAULT_STORAGE_CLASS_NAME = "gp3";

export interface VolumeTag {
  readonly key: string;
  readonly value: string;
}

/**
 * The EBS CSI driver's parameters: gp3, encrypted with the given key, and a tag on every volume
 * (`tagSpecification_<n>` takes `key=value`). The Data Lifecycle Manager policy selects volumes by
 * exactly that tag, so a volume this class creates is snapshotted and copied to the peer Region.
 */
export function storageClassParameters<Key extends pulumi.Input<string>>(
  keyArn: Key,
  tag: VolumeTag,
): Record<string, Key | string> {
  return {
    type: "gp3",
    encrypted: "true",
    kmsKeyId: keyArn,
    tagSpecification_1: `${tag.key}=${tag.value}`,
  };
}

export interface EncryptedStorageClassArgs {
  /** The stack's data key in the cluster's own Region. */
  readonly keyArn: pulumi.Input<string>;
  readonly volumeTag: VolumeTag;
  /** The EBS CSI add-on: the class names its provisioner. */
  readonly driver: pulumi.Resource;
}

/**
 * The default StorageClass `gp3`.
 *
 * - `WaitForFirstConsumer`: a volume is created in the Availability Zone its pod is scheduled to,
 *   so topology spread decides placement and a pod never waits on a volume in another zone.
 * - `reclaimPolicy: Retain`: deleting a claim (or its namespace, by mistake) leaves the volume and
 *   its snapshots; payments data is released by a person, never by a `kubectl delete`.
 */
export function encryptedStorageClass(
  name: string,
  args: EncryptedStorageClassArgs,
  opts: pulumi.CustomResourceOptions,
): k8s.storage.v1.StorageClass {
  return new StorageClass(
    name,
    {
      metadata: {
        name: DEFAULT_STORAGE_CLASS_NAME,
        annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
      },
      provisioner: EBS_CSI_PROVISIONER,
      // Field by field: at a first preview only the new key's ARN is unknown, so the pack still
      // sees the tag the DLM policy targets and `encrypted`.
      parameters: storageClassParameters(args.keyArn, args.volumeTag),
      volumeBindingMode: "WaitForFirstConsumer",
      reclaimPolicy: "Retain",
      allowVolumeExpansion: true,
    },
    { ...opts, dependsOn: [args.driver] },
  );
}
