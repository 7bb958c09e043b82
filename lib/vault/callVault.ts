import { IamraError, isIamraError } from "../errors.js";
import type { Logger } from "../log.js";
import type { Clock } from "../time/clock.js";
import { retry } from "../time/retry.js";
import { throwIfStopped, untilStopped } from "../time/stopSignal.js";
import type { VaultCallContext } from "./vaultCallContext.js";
import { toVaultError } from "./vaultErrors.js";

/** The retry and timeout policy shared by all calls of one client. */
export interface CallPolicy {
  addr: string;
  namespace?: string;
  timeoutMs: number;
  maxAttempts: number;
  baseMs: number;
  capMs: number;
  /** Time budget for rate limiting (HTTP 429), ms; without it, 429 counts against maxAttempts. */
  throttleBudgetMs?: number;
  clock: Clock;
  log: Logger;
  random?: () => number;
  /** A stop: ends the request in flight and the wait before a retry at once (ABORTED); no attempt starts after it. */
  signal?: AbortSignal;
}

/** A call's context without the parts the policy fills in. */
export type CallContext = Omit<VaultCallContext, "addr" | "namespace" | "timeoutMs" | "attempt" | "nowMs">;

/** Backoff for 429 answers (rate-limit quotas): full jitter, ceiling from 500 ms doubling up to 3 s. */
export const VAULT_THROTTLE_BACKOFF = { baseMs: 500, capMs: 3_000 } as const;

/**
 * Runs one Vault request (the request enforces the timeout), maps every failure with toVaultError, and retries
 * retryable ones (connection errors, timeouts, 5xx, 429) with capped exponential backoff and full jitter, logging each
 * retry at warn; 429 until the throttle budget is spent, when there is one. A Retry-After that Vault sent with a 429
 * or 503 makes the wait at least that long, within the same bounds: never past the throttle budget, and for other
 * retries never longer than the backoff cap. A stop (policy.signal) fails the call at once with ABORTED.
 */
export function callVault<T>(policy: CallPolicy, ctx: CallContext, request: () => Promise<T>): Promise<T> {
  const full: VaultCallContext = {
    ...ctx,
    addr: policy.addr,
    namespace: policy.namespace,
    timeoutMs: policy.timeoutMs,
  };
  return retry(
    async (attempt) => {
      throwIfStopped(policy.signal, ctx.step);
      policy.log.debug({ step: ctx.step, method: ctx.method, path: ctx.path, attempt }, "vault request");
      try {
        return await untilStopped(request(), policy.signal, ctx.step);
      } catch (err) {
        throw toVaultError(err, { ...full, attempt, nowMs: policy.clock.now() });
      }
    },
    {
      maxAttempts: policy.maxAttempts,
      baseMs: policy.baseMs,
      capMs: policy.capMs,
      clock: policy.clock,
      random: policy.random,
      signal: policy.signal,
      isRetryable: (err) => isIamraError(err) && err.retryable,
      retryAfterMs: (err) => (isIamraError(err) ? (err.details?.retryAfterMs as number | undefined) : undefined),
      throttle:
        policy.throttleBudgetMs === undefined
          ? undefined
          : {
              ...VAULT_THROTTLE_BACKOFF,
              budgetMs: policy.throttleBudgetMs,
              isThrottled: (err) => isIamraError(err) && err.status === 429,
            },
      onRetry: ({ attempt, delayMs, error }) => {
        const e = error as IamraError;
        policy.log.warn(
          { step: ctx.step, attempt, delayMs, code: e.code, status: e.status, path: ctx.path },
          "vault request failed, retrying",
        );
      },
    },
  );
}
