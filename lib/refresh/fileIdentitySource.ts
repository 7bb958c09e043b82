import { readFile } from "node:fs/promises";
import type { Clock } from "../time/clock.js";
import { loadIdentityFiles, type IdentityFiles, type LoadedIdentity } from "../x509/loadIdentityFiles.js";
import type { IdentitySource } from "./identitySource.js";

/**
 * Identity from files (Vault Agent mode): certificate, key and chain rendered by Vault Agent Injector templates. The files
 * are read and checked (pair, validity, chain) on every get(), so a re-rendered certificate is used at once and a
 * half-written set fails the check (and is retried) instead of being sent.
 */
export function createFileIdentitySource(files: IdentityFiles, deps: { clock: Clock }): IdentitySource {
  return {
    get: (): Promise<LoadedIdentity> => loadIdentityFiles(files, { readFile: (p) => readFile(p), nowMs: deps.clock.now() }),
    invalidate: () => undefined, // nothing is cached
    close: async () => undefined,
  };
}
