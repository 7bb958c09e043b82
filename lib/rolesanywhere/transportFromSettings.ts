import type { HttpTransportOptions } from "./sendHttpRequest.js";

/** Builds the Roles Anywhere transport options from resolved settings and the (already read) CA bundle. */
export function transportFromSettings(values: { timeoutMs: number; verifySsl: boolean }, caPem?: string): HttpTransportOptions {
  return { timeoutMs: values.timeoutMs, rejectUnauthorized: values.verifySsl, caPem };
}
