/** What a render of one stack is given; its own module so the renderer's helpers can read it too. */
import { RawConfig } from "../../stacks/config";

export interface RenderOptions {
  readonly project: string;
  readonly stack: string;
  readonly config: RawConfig;
  /** Outputs returned for any StackReference the program reads, by referenced stack name. */
  readonly stackReferences?: Readonly<Record<string, Record<string, unknown>>>;
  /**
   * The outputs of this stack's last deployment, for a program that reads its own stack.
   *
   * @default {} (never deployed)
   */
  readonly previousOutputs?: Record<string, unknown>;
  readonly accountId?: string;
  /** Called with every provider function (invoke) the program calls, before it is answered. */
  readonly onInvoke?: (token: string, args: Readonly<Record<string, unknown>>) => void;
  /**
   * Render the stack's first deployment as `pulumi preview` shows it on an empty stack: every
   * attribute a provider computes on create (ARNs, ids, endpoints) is unknown — the engine's
   * sentinel in the result, `unknown` to the program (`isDryRun`) — and inputs computed from them
   * are unknown too, with the property dependencies the engine records.
   *
   * @default false (every computed attribute synthesised, as after `pulumi up`)
   */
  readonly preview?: boolean;
}
