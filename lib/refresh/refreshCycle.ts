import type { Logger } from "../log.js";
import type { Clock } from "../time/clock.js";
import type { AwsCredentials } from "../credentials/awsCredentials.js";
import type { X509Identity } from "../identity/x509Identity.js";
import type { IdentitySource } from "../identity/identitySource.js";
import type { CredentialStore } from "../deliver/credentialStore.js";
import type { Metrics } from "../deliver/metrics.js";
import { obtainCredentials, type SessionConfig } from "../pipeline/obtainCredentials.js";
import { IamraError, isIamraError } from "../errors.js";
import { throwIfStopped } from "../time/stopSignal.js";

/** What one refresh needs: where the identity comes from, the session to ask for, where the result goes. */
export interface RefreshCycleDeps {
  identity: IdentitySource;
  session: SessionConfig;
  store: CredentialStore;
  /** Writes files (credentials, config, …); a failure is reported but never affects the in-memory credentials. */
  writeOutputs?: (creds: AwsCredentials, identity: X509Identity) => Promise<void>;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  signal?: AbortSignal;
}

/**
 * One refresh: obtainCredentials (identity from Vault or files → CreateSession → optional AssumeRole) → store (only
 * valid credentials replace the last good ones) → files. Throws a typed error naming the failed step; the store is
 * untouched on any failure, and after a stop (`signal`) nothing is stored or written.
 */
export async function refreshCycle(d: RefreshCycleDeps): Promise<AwsCredentials> {
  const started = d.clock.now();
  let stage = "identity";
  try {
    const { credentials: creds, identity } = await obtainCredentials(d.identity, d.session, {
      clock: d.clock,
      log: d.log,
      signal: d.signal,
      userAgent: "iamra-vault refresher",
      stepLogLevel: "debug", // each refresh is logged once, below
      timeUpstream: (upstream, operation, call) => d.metrics.timeUpstream(upstream, operation, call),
      onStep: (step) => (stage = step),
    });
    stage = "store";
    throwIfStopped(d.signal, stage); // nothing is stored or written after a stop
    d.store.set(creds, { obtainedAtMs: d.clock.now() });
    d.metrics.setTimestamp(d.metrics.credentialsExpiry, creds.expirationMs);
    d.metrics.setTimestamp(d.metrics.lastSuccess, d.clock.now());
    d.metrics.recordRefresh("success", "complete");
    const { accessKeyId, expiration } = creds;
    d.log.info({ accessKeyId, expiration, ms: d.clock.now() - started }, "credentials refreshed");
    if (d.writeOutputs) {
      stage = "write-output";
      throwIfStopped(d.signal, stage);
      try {
        await d.writeOutputs(creds, identity);
      } catch (err) {
        // the endpoint already serves the new credentials; the old file stays intact (atomic writes)
        d.metrics.recordRefresh("failure", "write-output");
        const error = isIamraError(err) ? err.toJSON() : String(err);
        d.log.error({ error }, "writing credential files failed; the endpoint is unaffected");
      }
    }
    return creds;
  } catch (err) {
    const step = isIamraError(err) && err.step ? err.step : stage;
    d.metrics.recordRefresh("failure", step);
    if (isIamraError(err)) throw err;
    const message = `refresh failed at ${step}: ${(err as Error).message}`;
    throw new IamraError({ code: "REFRESH_FAILED", message, hint: "see the cause", step, cause: err });
  }
}
