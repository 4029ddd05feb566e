/**
 * Reads the stack's configuration from the Pulumi runtime and validates it.
 *
 * The CLI hands a program its config as strings, structured values JSON-encoded; this is the one
 * place that turns them back into values before `parseStackConfig` checks them.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, parseStackConfig, PROJECT, RawConfig, StackConfig } from "./config";

export function readRawConfig(): RawConfig {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (key !== "aws:region" && !key.startsWith(`${PROJECT}:`)) continue;
    raw[key] = parseStructured(value);
  }
  return raw;
}

function parseStructured(value: string): unknown {
  const trimmed = value.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return value;
  try {
    return JSON.parse(trimmed);
  } catch {
    return value;
  }
}

/** The validated config of the running stack; a mistake ends the run with its message only. */
export function loadStackConfig(): StackConfig {
  try {
    return parseStackConfig(readRawConfig(), pulumi.getStack());
  } catch (error) {
    if (error instanceof ConfigError) throw new pulumi.RunError(error.message);
    throw error;
  }
}
