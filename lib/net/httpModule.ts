import { lazyBuiltin } from "./lazyBuiltin.js";

/**
 * node:http, loaded on first use: credential-process's direct call to Roles Anywhere does without it (its modules
 * cost a one-shot command several milliseconds), while proxied and kept-alive calls load it when they are made.
 */
export const httpModule = lazyBuiltin<typeof import("node:http")>("node:http");
