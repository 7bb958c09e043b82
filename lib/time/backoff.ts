/** Capped exponential backoff with full jitter (AWS architecture blog "Exponential Backoff And Jitter"). */
export interface BackoffOptions {
  /** Delay cap base for the first retry, ms. */
  baseMs: number;
  /** Largest delay, ms. */
  capMs: number;
}

/** Upper bound of the delay before retry number `attempt` (1-based): min(cap, base * 2^(attempt-1)). */
export function backoffCeilingMs(attempt: number, opts: BackoffOptions): number {
  const exp = opts.baseMs * 2 ** Math.max(0, attempt - 1);
  return Math.min(opts.capMs, exp);
}

/** Full-jitter delay: uniform in [0, ceiling). `random` is injectable for tests. */
export function fullJitterDelayMs(attempt: number, opts: BackoffOptions, random: () => number = Math.random): number {
  return Math.floor(random() * backoffCeilingMs(attempt, opts));
}
