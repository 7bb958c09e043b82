import type { Logger } from "../lib/log.js";
import { isIamraError } from "../lib/errors.js";
import type { CredentialStore } from "../lib/deliver/credentialStore.js";
import type { Metrics } from "../lib/deliver/metrics.js";
import { readCredentialOutputs } from "../lib/deliver/readCredentialOutputs.js";

/** Adopts what init (or an earlier refresher) wrote, so that the first refresh waits for its planned time. */
export async function adoptCredentials(
  v: { outputDir: string; profile: string },
  d: { log: Logger; metrics: Metrics; store: CredentialStore },
): Promise<boolean> {
  let adopted: Awaited<ReturnType<typeof readCredentialOutputs>>;
  try {
    adopted = await readCredentialOutputs(v.outputDir, v.profile);
  } catch (err) {
    if (!isIamraError(err)) throw err;
    d.log.warn({ error: err.toJSON() }, "credentials in the output directory cannot be adopted; obtaining new ones");
    return false;
  }
  if (!adopted) return false;
  try {
    d.store.set(adopted.creds, { obtainedAtMs: adopted.writtenAtMs });
  } catch {
    d.log.info("credentials in the output directory are not usable; obtaining new ones"); // e.g. expired
    return false;
  }
  // init's write was the last successful refresh: staleness alerts start from it, not from 0
  d.metrics.setTimestamp(d.metrics.credentialsExpiry, adopted.creds.expirationMs);
  d.metrics.setTimestamp(d.metrics.lastSuccess, adopted.writtenAtMs);
  if (adopted.certificateNotAfterMs !== undefined) {
    d.metrics.setTimestamp(d.metrics.certificateExpiry, adopted.certificateNotAfterMs);
  }
  const { accessKeyId, expiration } = adopted.creds;
  d.log.info({ accessKeyId, expiration }, "adopted credentials already in the output directory");
  return true;
}
