import { readFile } from "node:fs/promises";
import type { Logger } from "../log.js";
import type { Clock } from "../time/clock.js";
import { IamraError, isIamraError } from "../errors.js";
import { certificateValidity } from "../x509/certificateValidity.js";
import { loadIdentityFiles, type IdentityFiles } from "../x509/loadIdentityFiles.js";
import type { IdentitySource } from "./identitySource.js";
import type { X509Identity } from "./x509Identity.js";

/** How the file identity source treats files that cannot be used. */
export interface FileIdentityOptions {
  /**
   * Files read once by a short-lived command (credential-process): get() reads them strictly and throws the loader's
   * error as it is, with no fallback to an earlier identity.
   */
  strict?: boolean;
}

/**
 * Identity from files: a PEM certificate with its key and intermediates, or a PKCS#12 file. The files are read and
 * checked (pair, validity, chain) on every get(), so a re-rendered certificate is used at once. Unless `strict`, the
 * files are taken to be rendered by Vault Agent Injector templates: while they are half-written or mismatched (Vault
 * Agent renders them one after another), the last good identity keeps being used as long as its certificate is valid;
 * otherwise the failure is reported as retryable, since the next render fixes it.
 */
export function createFileIdentitySource(
  files: IdentityFiles,
  deps: { clock: Clock; log: Logger },
  options: FileIdentityOptions = {},
): IdentitySource {
  let lastGood: X509Identity | undefined;
  const reload = async (): Promise<X509Identity> => {
    lastGood = await loadIdentityFiles(files, { readFile: (p) => readFile(p), nowMs: deps.clock.now() });
    return lastGood;
  };
  if (options.strict) return { reload, get: reload, close: async () => undefined };
  return {
    reload,
    async get(): Promise<X509Identity> {
      const nowMs = deps.clock.now();
      try {
        return await reload();
      } catch (err) {
        if (lastGood && certificateValidity(lastGood.certificate).notAfterMs > nowMs) {
          const code = isIamraError(err) ? err.code : undefined;
          deps.log.warn({ code }, "certificate files not usable now; using the last good certificate");
          return lastGood;
        }
        if (!isIamraError(err) || err.retryable) throw err;
        throw new IamraError({
          code: err.code,
          message: err.message,
          hint: `${err.hint ?? ""} Vault Agent may be re-rendering the files; retrying shortly.`.trim(),
          retryable: true,
          step: err.step ?? "load-identity",
          status: err.status,
          details: err.details,
          cause: err,
        });
      }
    },
    close: async () => undefined,
  };
}
