import { readFileLean as readFile } from "./readFileLean.js";
import type { Logger } from "../log.js";
import type { Clock } from "../time/clock.js";
import { IamraError, isIamraError } from "../errors.js";
import { certificateValidity } from "../x509/certificateValidity.js";
import { loadIdentityFiles, type IdentityFiles } from "../x509/loadIdentityFiles.js";
import type { IdentitySource } from "./identitySource.js";
import type { X509Identity } from "./x509Identity.js";
import { watchFiles, type FileWatcher, type WatchFilesOptions } from "./watchFiles.js";

/** How the file identity source treats files that cannot be used. */
export interface FileIdentityOptions {
  /**
   * Files read once by a short-lived command (credential-process): get() reads them strictly and throws the loader's
   * error as it is, with no fallback to an earlier identity.
   */
  strict?: boolean;
}

/** How a file identity source watches its files (see watchFiles for the timing options). */
export type WatchIdentityOptions = Pick<
  WatchFilesOptions,
  "pollIntervalMs" | "debounceMs" | "signal" | "useFsWatch"
> & {
  /** Told when changed files were not usable yet (half-written, mismatched); the change is offered again later. */
  onError?: (err: unknown) => void;
};

/** An identity source backed by files, which can also tell when they change. */
export interface FileIdentitySource extends IdentitySource {
  /** Reads the files again strictly (no fallback) and keeps them as the last good identity; throws while unusable. */
  reload(): Promise<X509Identity>;
  /**
   * Watches the certificate, key and intermediates files (fs.watch plus stat polling). Once a change has settled, the
   * files are reloaded strictly: when that succeeds the new identity replaces the last good one and `onChange` is told
   * which files changed; when it fails (e.g. half-written), `onError` is told and the change is offered again.
   */
  watch(onChange: (changed: string[]) => void, options?: WatchIdentityOptions): FileWatcher;
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
): FileIdentitySource {
  let lastGood: X509Identity | undefined;
  const reload = async (): Promise<X509Identity> => {
    lastGood = await loadIdentityFiles(files, { readFile: (p) => readFile(p), nowMs: deps.clock.now() });
    return lastGood;
  };
  const paths = [files.certificate, files.privateKey, files.intermediates].filter((p): p is string => Boolean(p));
  const watch = (onChange: (changed: string[]) => void, o: WatchIdentityOptions = {}): FileWatcher =>
    watchFiles(paths, {
      ...o,
      onChange: async (changed) => {
        await reload(); // throws while the set is half-written or mismatched: offered again at the next poll
        onChange(changed);
      },
    });
  if (options.strict) return { reload, watch, get: reload, close: async () => undefined };
  return {
    reload,
    watch,
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
