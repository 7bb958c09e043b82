import type { SecureContext } from "node:tls";
import { lazyBuiltin } from "./lazyBuiltin.js";

/** node:tls, loaded when the first context is made. */
const tlsModule = lazyBuiltin<typeof import("node:tls")>("node:tls");

/** The contexts made so far, by CA bundle text: one or two per process (Roles Anywhere's, Vault's). */
const contexts = new Map<string, SecureContext>();

/**
 * The TLS context that trusts exactly the certificates of `caPem` (instead of Node's default roots), with TLS 1.2 as
 * the lowest version, for the `secureContext` option of tls.connect and https requests and agents. Made on first use
 * and then kept for the process: given `ca` instead, Node makes a new context for every connection and parses every
 * certificate of the bundle again (a bundle of 144 certificates: about 34 ms of CPU on Node 20, 9 ms on Node 24).
 * The kept context holds about 0.9 MB for such a bundle, which each connection held before while it was open.
 */
export function caSecureContext(caPem: string): SecureContext {
  let context = contexts.get(caPem);
  if (!context) {
    context = tlsModule().createSecureContext({ ca: caPem, minVersion: "TLSv1.2" });
    contexts.set(caPem, context);
  }
  return context;
}
