/**
 * The shape of a rendered stack: what the offline plan, the policy pack's stack rules and the DR model
 * all read. Plain data, so this layer needs neither Pulumi nor the AWS SDK.
 */
/** One resource as the plan contract (DESIGN.md) describes it. */
export interface RenderedResource {
  readonly urn: string;
  /** The provider-assigned id (physical name, ARN or generated id, as the real provider returns). */
  readonly id: string | null;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly parent: string | null;
  readonly provider: string | null;
  /** Explicit `region` input, else its provider's, else the stack's; null for global services. */
  readonly region: string | null;
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
  readonly dependencies: string[];
  /** Per input property, the URNs its value came from (the engine's `propertyDependencies`). */
  readonly propertyDependencies?: Record<string, string[]>;
  readonly protect: boolean;
  /** Resource options that decide what an update may replace or drift from. */
  readonly ignoreChanges: string[];
  readonly replaceOnChanges: string[];
  readonly deleteBeforeReplace: boolean;
  readonly retainOnDelete: boolean;
}

export interface RenderedStack {
  readonly stack: string;
  readonly project: string;
  /** The raw config the stack was rendered with (fully-qualified keys). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly resources: RenderedResource[];
  readonly outputs: Record<string, unknown>;
}
