import { lazyBuiltin } from "./lazyBuiltin.js";

/**
 * node:https, loaded on first use: it pulls in Node's TLS modules, which cost start-up time on the plain-http paths
 * (a loopback or in-cluster http:// endpoint) where they are never used.
 */
export const httpsModule = lazyBuiltin<typeof import("node:https")>("node:https");
