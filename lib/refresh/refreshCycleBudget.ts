/** How long one refresh cycle may legitimately take, derived from the timeout and retry settings (pure). */

/** Longest backoff wait between attempts of one call, ms: Vault client (10 s), Roles Anywhere and AWS SDK (20 s). */
const BACKOFF_CAP_MS = { vault: 10_000, aws: 20_000 } as const;
/** Vault calls in the worst cycle: revoke the old token, log in, sign; log in and sign again after an invalid token. */
const VAULT_CALLS_PER_CYCLE = 5;
/** The Vault client's own deadline runs this much past the request timeout. */
const VAULT_DEADLINE_GRACE_MS = 100;
/** Slack for local work (key generation, signing, file writes) and a busy machine. */
const MARGIN_MS = 30_000;

/** The timeout and retry settings one cycle runs under. */
export interface CycleBudgetInput {
  /** Present when the identity comes from Vault. */
  vault?: { timeoutMs: number; maxAttempts: number };
  /** Roles Anywhere (and STS) per-request timeout and attempts. */
  timeoutMs: number;
  maxAttempts: number;
  /** True with role chaining (one STS AssumeRole per cycle). */
  assumeRole: boolean;
}

/** Every attempt times out and every wait between attempts is the longest backoff. */
function callBudgetMs(timeoutMs: number, attempts: number, backoffCapMs: number): number {
  return attempts * timeoutMs + Math.max(0, attempts - 1) * backoffCapMs;
}

/**
 * The longest one refresh cycle takes when every upstream call times out on every attempt, plus a margin, ms. A cycle
 * running longer than this is stuck (a call that ignores its timeout), which the refresher reports on /healthz.
 */
export function refreshCycleBudgetMs(s: CycleBudgetInput): number {
  const vault = s.vault
    ? VAULT_CALLS_PER_CYCLE *
      callBudgetMs(s.vault.timeoutMs + VAULT_DEADLINE_GRACE_MS, s.vault.maxAttempts, BACKOFF_CAP_MS.vault)
    : 0;
  const aws = callBudgetMs(s.timeoutMs, s.maxAttempts, BACKOFF_CAP_MS.aws) * (s.assumeRole ? 2 : 1);
  return vault + aws + MARGIN_MS;
}
