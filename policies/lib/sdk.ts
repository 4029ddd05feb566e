/**
 * Two runtime exports of @pulumi/policy whose typings are stripped (marked internal): the proxy the
 * engine wraps `props` in, and the error it throws when a rule reads a value unknown before apply.
 * Typed here once so rules and the offline runner use exactly the SDK's own behaviour.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdk = require("@pulumi/policy") as {
  unknownCheckingProxy<T>(value: T): T;
  UnknownValueError: new (...args: never[]) => Error;
};

export const unknownCheckingProxy: <T>(value: T) => T = sdk.unknownCheckingProxy;
export const UnknownValueError: new (...args: never[]) => Error = sdk.UnknownValueError;
