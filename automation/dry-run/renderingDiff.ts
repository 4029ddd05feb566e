/** What changes between two renderings of a stack: the dry run's diff, read by its stack-update planner too. */

export interface ChangedResource {
  readonly urn: string;
  readonly type: string;
  /** Input paths whose value differs (dotted; array items by index). */
  readonly paths: string[];
}

export interface ReplacedResource extends ChangedResource {
  readonly reason: string;
  readonly dataStore: boolean;
}

export interface ResourceRef {
  readonly urn: string;
  readonly type: string;
  readonly dataStore: boolean;
}

export interface RenderingDiff {
  readonly updated: ChangedResource[];
  readonly replaced: ReplacedResource[];
  readonly deleted: ResourceRef[];
  readonly created: ResourceRef[];
}
