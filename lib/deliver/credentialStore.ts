/** The refresher's in-memory holder of the last good credentials, shared by every delivery endpoint. */
import { IamraError } from "../errors.js";
import type { Logger } from "../log.js";
import type { Clock } from "../time/clock.js";
import { DEFAULT_MIN_VALIDITY_MS, effectiveMinValidityMs } from "../time/refreshSchedule.js";
import { credentialsProblem, type AwsCredentials } from "../credentials/awsCredentials.js";

/** Options of createCredentialStore. */
export interface CredentialStoreOptions {
  clock: Clock;
  /** Validity required for isReady() (default 15 min), scaled down for short sessions like nextRefreshAtMs. */
  minValidityMs?: number;
  /** Where a throwing onChange listener is reported (it never breaks set()). */
  log?: Logger;
}

/** Why the store is or is not ready, for /readyz. */
export interface StoreReadiness {
  ready: boolean;
  reason: string;
  /** Milliseconds of validity left on the held credentials (0 when none). */
  remainingMs: number;
}

/** The last good credentials; set() never replaces them with invalid, partial or expired ones. */
export interface CredentialStore {
  /** Stores new credentials; throws CREDENTIALS_REJECTED (and keeps the old ones) when they are unusable. */
  set(creds: AwsCredentials, opts?: { obtainedAtMs?: number }): void;
  /** The held credentials, or undefined when there are none or they have expired. */
  current(): AwsCredentials | undefined;
  /** True when valid credentials with more than the (effective) minimum validity left are held. */
  isReady(): boolean;
  /** isReady() with a reason, for probes and logs. */
  readiness(): StoreReadiness;
  /** Epoch ms of the last successful set(), or undefined. */
  lastUpdatedMs(): number | undefined;
  /**
   * When the held credentials were obtained (set()'s obtainedAtMs, e.g. when init wrote adopted ones), or undefined.
   */
  obtainedAtMs(): number | undefined;
  /** Calls `listener` after every successful set(); returns a function that unsubscribes. */
  onChange(listener: (creds: AwsCredentials) => void): () => void;
}

/** Creates an empty credential store that reads time from `clock`. */
export function createCredentialStore(opts: CredentialStoreOptions): CredentialStore {
  const minValidityMs = opts.minValidityMs ?? DEFAULT_MIN_VALIDITY_MS;
  const listeners = new Set<(creds: AwsCredentials) => void>();
  let held: AwsCredentials | undefined;
  let obtainedAtMs = 0;
  let updatedAtMs: number | undefined;

  const readiness = (): StoreReadiness => {
    const now = opts.clock.now();
    if (!held) return { ready: false, reason: "no credentials obtained yet", remainingMs: 0 };
    const remainingMs = Math.max(0, held.expirationMs - now);
    if (remainingMs === 0) return { ready: false, reason: `credentials expired at ${held.expiration}`, remainingMs };
    const needMs = effectiveMinValidityMs(held.expirationMs - obtainedAtMs, minValidityMs);
    if (remainingMs <= needMs) {
      const reason = `credentials expire at ${held.expiration}, less than ${Math.round(needMs / 1000)} s left`;
      return { ready: false, reason, remainingMs };
    }
    return { ready: true, reason: `credentials valid until ${held.expiration}`, remainingMs };
  };

  return {
    set(creds, setOpts) {
      const now = opts.clock.now();
      const problem = credentialsProblem(creds, now);
      if (problem) {
        throw new IamraError({
          code: "CREDENTIALS_REJECTED",
          message: `refusing to serve the new credentials: ${problem}; the previous credentials are kept`,
          hint: "the upstream answered with unusable credentials; check the session duration and the clock",
          retryable: true,
          step: "store-credentials",
        });
      }
      held = Object.freeze({ ...creds });
      obtainedAtMs = Math.min(setOpts?.obtainedAtMs ?? now, now);
      updatedAtMs = now;
      for (const listener of [...listeners]) {
        try {
          listener(held);
        } catch (err) {
          // a broken delivery must not stop the others or the store; it is reported, not swallowed
          opts.log?.error({ err }, "credentials listener failed");
        }
      }
    },
    current() {
      return held && held.expirationMs > opts.clock.now() ? held : undefined;
    },
    isReady: () => readiness().ready,
    readiness,
    lastUpdatedMs: () => updatedAtMs,
    obtainedAtMs: () => (held ? obtainedAtMs : undefined),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
