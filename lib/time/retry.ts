import type { Clock } from "./clock.js";
import { IamraError, isIamraError } from "../errors.js";
import { fullJitterDelayMs, type BackoffOptions } from "./backoff.js";

/**
 * How throttling (HTTP 429, ThrottlingException, Vault rate-limit quotas) is retried: until a time budget is spent,
 * not a number of attempts, with its own capped exponential backoff and full jitter. Throttled attempts do not count
 * against maxAttempts.
 */
export interface ThrottleOptions extends BackoffOptions {
  /** True for errors that say "too many requests". */
  isThrottled: (err: unknown) => boolean;
  /** No attempt starts later than this many ms after the first one. */
  budgetMs: number;
}

/** Settings for retry(): attempts in total (first try included) and backoff bounds. */
export interface RetryOptions extends BackoffOptions {
  maxAttempts: number;
  clock: Clock;
  random?: () => number;
  signal?: AbortSignal;
  /** Decides whether an error is worth another attempt. */
  isRetryable: (err: unknown) => boolean;
  /** Throttling policy; without it, throttled errors are retried like any other retryable error. */
  throttle?: ThrottleOptions;
  /** The wait the server asked for (Retry-After), ms, if the error carries one; the wait is at least that long. */
  retryAfterMs?: (err: unknown) => number | undefined;
  /** Called before each wait, e.g. to log a warning. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown; throttled: boolean }) => void;
}

/**
 * A stop (SIGTERM/SIGINT) during the wait before a retry: a typed error that keeps the failure that caused the wait.
 */
function abortedWhileWaiting(lastError: unknown, reason: unknown): IamraError {
  const last = isIamraError(lastError)
    ? `${lastError.code}: ${lastError.message}`
    : String((lastError as Error)?.message ?? lastError);
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
 * Runs `fn(attempt)` until it succeeds, fails with a non-retryable error, runs out of attempts, or (for throttling)
 * would start an attempt after the throttle budget. The last error is thrown as is.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const startedMs = opts.clock.now();
  let failures = 0;
  let throttles = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (!opts.isRetryable(error) || opts.signal?.aborted) throw error;
      const throttled = opts.throttle?.isThrottled(error) === true;
      const asked = opts.retryAfterMs?.(error);
      let delayMs: number;
      if (throttled) {
        throttles++;
        delayMs = Math.max(fullJitterDelayMs(throttles, opts.throttle!, opts.random), asked ?? 0);
        if (opts.clock.now() + delayMs - startedMs > opts.throttle!.budgetMs) throw error;
      } else {
        failures++;
        if (failures >= opts.maxAttempts) throw error;
        // a server's Retry-After is honoured up to the backoff cap: attempts, not time, bound these errors
        delayMs = Math.max(fullJitterDelayMs(failures, opts, opts.random), Math.min(asked ?? 0, opts.capMs));
      }
      opts.onRetry?.({ attempt, delayMs, error, throttled });
      try {
        await opts.clock.sleep(delayMs, opts.signal);
      } catch (abortReason) {
        throw abortedWhileWaiting(error, abortReason);
      }
    }
  }
}
