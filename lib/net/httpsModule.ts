import { createRequire } from "node:module";

type Https = typeof import("node:https");

const load = createRequire(import.meta.url);
let https: Https | undefined;

/**
 * node:https, loaded on first use: it pulls in Node's TLS modules, which cost start-up time on the plain-http paths
 * (a loopback or in-cluster http:// endpoint) where they are never used.
 */
export function httpsModule(): Https {
  return (https ??= load("node:https") as Https);
}
