import type { Clock } from "./clock.js";
import { fullJitterDelayMs, type BackoffOptions } from "./backoff.js";

/** Settings for retry(): attempts in total (first try included) and backoff bounds. */
export interface RetryOptions extends BackoffOptions {
  maxAttempts: number;
  clock: Clock;
  random?: () => number;
  signal?: AbortSignal;
  /** Decides whether an error is worth another attempt. */
  isRetryable: (err: unknown) => boolean;
  /** Called before each wait, e.g. to log a warning. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

/**
 * Runs `fn(attempt)` until it succeeds, fails with a non-retryable error, or runs out of attempts.
 * The last error is thrown as is.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= opts.maxAttempts || !opts.isRetryable(error) || opts.signal?.aborted) throw error;
      const delayMs = fullJitterDelayMs(attempt, opts, opts.random);
      opts.onRetry?.({ attempt, delayMs, error });
      await opts.clock.sleep(delayMs, opts.signal);
    }
  }
}
