import { EngineResource } from "../../../tools/policyEngine";

/** One adversarial stack and the one violation it must produce. */
export interface Mutant {
  readonly name: string;
  readonly resources: EngineResource[];
  readonly policy: string;
  readonly urn: string;
  readonly fragment: string;
  /** Other stores the same mutation leaves without a copy (reported too, by the same policy). */
  readonly alsoReported?: readonly string[];
  /** The level it is reported at. @default "mandatory" (only owner verification is advisory) */
  readonly level?: "advisory";
}

/** A compliant stack that must pass every mandatory rule. `read` names resources the program reads
 * with `Resource.get` (external in a stack export, a `read` step in a preview). */
export interface Variant {
  readonly name: string;
  readonly resources: EngineResource[];
  readonly read?: readonly string[];
}
