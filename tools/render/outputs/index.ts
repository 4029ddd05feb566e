/**
 * Every per-service output synthesiser, by type token. A type missing here still renders, with
 * the generic id, name and ARN from `../synth.ts`; add a file per service for the attributes a
 * program reads from it (endpoints, generated ids).
 */
import { Synthesizer } from "../synth";
import { foundationSynthesizers } from "./foundation";
import { storageSynthesizers } from "./storage";
import { computeSynthesizers } from "./compute";
import { ingestSynthesizers } from "./ingest";
import { databaseSynthesizers } from "./databases";
import { imageSynthesizers } from "./images";
import { kubernetesSynthesizers } from "./kubernetes";

export { kubernetesObject } from "./kubernetes";

export const synthesizers: Readonly<Record<string, Synthesizer>> = {
  ...foundationSynthesizers,
  ...storageSynthesizers,
  ...computeSynthesizers,
  ...ingestSynthesizers,
  ...databaseSynthesizers,
  ...imageSynthesizers,
  ...kubernetesSynthesizers,
};
