import { createRequire } from "node:module";

type Https = typeof import("node:https");

let https: Https | undefined;

/**
 * node:https, loaded on first use: it pulls in Node's TLS modules, which cost start-up time on the plain-http paths
 * (a loopback or in-cluster http:// endpoint) where they are never used.
 */
export function httpsModule(): Https {
  if (https) return https;
  // `require` in the CommonJS bundle: createRequire costs a one-shot command start-up time
  const load = typeof require === "function" ? require : createRequire(import.meta.url);
  return (https = load("node:https") as Https);
}
