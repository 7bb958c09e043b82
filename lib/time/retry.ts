import type { Clock } from "./clock.js";
import { IamraError, isIamraError } from "../errors.js";
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

/** A stop (SIGTERM/SIGINT) during the wait before a retry: a typed error that keeps the failure that caused the wait. */
function abortedWhileWaiting(lastError: unknown, reason: unknown): IamraError {
  const last = isIamraError(lastError) ? `${lastError.code}: ${lastError.message}` : String((lastError as Error)?.message ?? lastError);
  return new IamraError({
    code: "ABORTED",
    message: `stopped (${String((reason as Error)?.message ?? reason)}) while waiting to retry after: ${last}`,
    hint: "the process was asked to stop; the last failure is shown above",
    retryable: false,
    step: isIamraError(lastError) ? lastError.step : undefined,
    cause: lastError,
  });
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
      try {
        await opts.clock.sleep(delayMs, opts.signal);
      } catch (abortReason) {
        throw abortedWhileWaiting(error, abortReason);
      }
    }
  }
}
