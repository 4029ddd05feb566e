/**
 * What the mock runtime's `newResource` does not see: a registration's parent, dependencies,
 * property dependencies and resource options. The monitor's request carries them; the monitor calls
 * `newResource` synchronously with its request, so the request is handed over through a callback.
 */
import * as pulumi from "@pulumi/pulumi";

export interface PendingRequest {
  readonly type: string;
  readonly name: string;
  readonly parent: string;
  readonly provider: string;
  readonly dependencies: string[];
  /** Per input property, the URNs its value came from (what the engine gives a policy pack). */
  readonly propertyDependencies: Record<string, string[]>;
  readonly custom: boolean;
  readonly protect: boolean;
  readonly ignoreChanges: string[];
  readonly replaceOnChanges: string[];
  readonly deleteBeforeReplace: boolean;
  readonly retainOnDelete: boolean;
}

type UrnList = { getUrnsList(): string[] };
type RequestLike = {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap?(): { forEach(fn: (value: UrnList, key: string) => void): void };
  getCustom?(): boolean;
  getProtect?(): boolean;
  getIgnorechangesList?(): string[];
  getReplaceonchangesList?(): string[];
  getDeletebeforereplace?(): boolean;
  getRetainondelete?(): boolean | undefined;
};

type MonitorLike = Record<string, (req: RequestLike, cb: (err: unknown, res: unknown) => void) => unknown>;

function propertyDependenciesOf(req: RequestLike): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  req.getPropertydependenciesMap?.().forEach((value, key) => {
    const urns = [...value.getUrnsList()];
    if (urns.length > 0) result[key] = urns;
  });
  return result;
}

/** Calls `record` with every registration's request, just before the mock sees it. */
export function interceptRegistrations(record: (request: PendingRequest) => void): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
  for (const method of ["registerResource", "readResource"] as const) {
    const original = monitor[method].bind(monitor);
    monitor[method] = (req, cb) => {
      record({
        type: req.getType(),
        name: req.getName(),
        parent: req.getParent(),
        provider: req.getProvider(),
        dependencies: [...(req.getDependenciesList?.() ?? [])],
        propertyDependencies: propertyDependenciesOf(req),
        custom: method === "readResource" ? true : (req.getCustom?.() ?? true),
        protect: req.getProtect?.() ?? false,
        ignoreChanges: [...(req.getIgnorechangesList?.() ?? [])],
        replaceOnChanges: [...(req.getReplaceonchangesList?.() ?? [])],
        deleteBeforeReplace: req.getDeletebeforereplace?.() ?? false,
        retainOnDelete: req.getRetainondelete?.() ?? false,
      });
      return original(req, cb);
    };
  }
}
