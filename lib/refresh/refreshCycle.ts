import type { Logger } from "pino";
import type { Clock } from "../time/clock.js";
import { createSession, type CreateSessionRequest } from "../rolesanywhere/createSession.js";
import type { HttpTransportOptions } from "../rolesanywhere/sendHttpRequest.js";
import { assumeRole, type AssumeRoleConfig } from "../sts/assumeRole.js";
import type { StsTarget } from "../sts/stsCall.js";
import type { CredentialStore } from "../deliver/credentialStore.js";
import type { Metrics } from "../deliver/metrics.js";
import { IamraError, isIamraError } from "../errors.js";
import type { IdentitySource } from "./identitySource.js";
import { throwIfStopped } from "../time/stopSignal.js";
import type { X509Identity } from "../identity/x509Identity.js";
import type { AwsCredentials } from "../credentials/awsCredentials.js";

/** What one refresh needs: where the identity comes from, the session to ask for, where the result goes. */
export interface RefreshCycleDeps {
  identity: IdentitySource;
  session: CreateSessionRequest;
  transport: HttpTransportOptions;
  maxAttempts: number;
  /** Time budget for throttled CreateSession calls, ms (see createSession). */
  throttleBudgetMs?: number;
  assumeRole?: AssumeRoleConfig & { sts: StsTarget };
  store: CredentialStore;
  /** Writes files (credentials, config, …); a failure is reported but never affects the in-memory credentials. */
  writeOutputs?: (creds: AwsCredentials, identity: X509Identity) => Promise<void>;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  signal?: AbortSignal;
}

/**
 * One refresh: identity (Vault or files) → CreateSession → optional AssumeRole → store (only valid credentials replace the
 * last good ones) → files. Throws a typed error naming the failed step; the store is untouched on any failure, and
 * after a stop (`signal`) nothing is stored or written.
 */
export async function refreshCycle(d: RefreshCycleDeps): Promise<AwsCredentials> {
  const started = d.clock.now();
  let stage = "identity";
  try {
    const identity = await d.identity.get();
    stage = "create-session";
    let creds = await d.metrics.timeUpstream("rolesanywhere", "CreateSession", () =>
      createSession(identity, d.session, {
        clock: d.clock,
        log: d.log,
        transport: d.transport,
        maxAttempts: d.maxAttempts,
        throttleBudgetMs: d.throttleBudgetMs,
        signal: d.signal,
        userAgent: "iamra-vault refresher",
      }),
    );
    if (d.assumeRole) {
      stage = "assume-role";
      const target = d.assumeRole;
      creds = await d.metrics.timeUpstream("sts", "AssumeRole", () =>
        assumeRole(creds, target, { ...target.sts, log: d.log }, d.signal),
      );
    }
    stage = "store";
    throwIfStopped(d.signal, stage); // nothing is stored or written after a stop
    d.store.set(creds, { obtainedAtMs: d.clock.now() });
    d.metrics.setTimestamp(d.metrics.credentialsExpiry, creds.expirationMs);
    d.metrics.setTimestamp(d.metrics.lastSuccess, d.clock.now());
    d.metrics.recordRefresh("success", "complete");
    d.log.info({ accessKeyId: creds.accessKeyId, expiration: creds.expiration, ms: d.clock.now() - started }, "credentials refreshed");
    if (d.writeOutputs) {
      stage = "write-output";
      throwIfStopped(d.signal, stage);
      try {
        await d.writeOutputs(creds, identity);
      } catch (err) {
        // the endpoint already serves the new credentials; the old file stays intact (atomic writes)
        d.metrics.recordRefresh("failure", "write-output");
        d.log.error({ error: isIamraError(err) ? err.toJSON() : String(err) }, "writing credential files failed; the endpoint is unaffected");
      }
    }
    return creds;
  } catch (err) {
    const step = isIamraError(err) && err.step ? err.step : stage;
    d.metrics.recordRefresh("failure", step);
    if (isIamraError(err)) throw err;
    throw new IamraError({ code: "REFRESH_FAILED", message: `refresh failed at ${step}: ${(err as Error).message}`, hint: "see the cause", step, cause: err });
  }
}
