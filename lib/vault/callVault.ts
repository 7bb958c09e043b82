import { IamraError, isIamraError } from "../errors.js";
import type { Logger } from "../log.js";
import { MAX_TIMER_MS, type Clock } from "../time/clock.js";
import { retry } from "../time/retry.js";
import { throwIfStopped, untilStopped } from "../time/stopSignal.js";
import type { VaultCallContext } from "./vaultCallContext.js";
import { toVaultError, vaultStatusOf, VaultDeadlineError } from "./vaultErrors.js";

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

// node-vault's own (axios) timeout fires first in the usual case; this backstop also ends answers that trickle in.
const DEADLINE_GRACE_MS = 100;

/** Backoff for 429 answers (rate-limit quotas): full jitter, ceiling from 500 ms doubling up to 3 s. */
export const VAULT_THROTTLE_BACKOFF = { baseMs: 500, capMs: 3_000 } as const;

/**
 * Runs one node-vault request with a deadline, maps every failure with toVaultError, and retries retryable ones
 * (connection errors, timeouts, 5xx, 429) with capped exponential backoff and full jitter, logging each retry at warn;
 * 429 until the throttle budget is spent, when there is one.
 * node-vault rejects every status except 200 and 204; other 2xx answers (202 from PKI tidy) are returned as success.
 * A stop (policy.signal) fails the call at once with ABORTED; the owner of the client closes its connections.
 */
export function callVault<T>(policy: CallPolicy, ctx: CallContext, request: () => Promise<T>): Promise<T> {
  const full: VaultCallContext = { ...ctx, addr: policy.addr, namespace: policy.namespace, timeoutMs: policy.timeoutMs };
  return retry(
    async (attempt) => {
      throwIfStopped(policy.signal, ctx.step);
      policy.log.debug({ step: ctx.step, method: ctx.method, path: ctx.path, attempt }, "vault request");
      try {
        const deadlineMs = Math.min(MAX_TIMER_MS, policy.timeoutMs + DEADLINE_GRACE_MS);
        return await untilStopped(withDeadline(request, deadlineMs, policy.timeoutMs), policy.signal, ctx.step);
      } catch (err) {
        const status = vaultStatusOf(err);
        if (status !== undefined && status >= 200 && status < 300) {
          return (err as { response: { body: T } }).response.body;
        }
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
        policy.log.warn({ step: ctx.step, attempt, delayMs, code: e.code, status: e.status, path: ctx.path }, "vault request failed, retrying");
      },
    },
  );
}

function withDeadline<T>(request: () => Promise<T>, deadlineMs: number, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new VaultDeadlineError(timeoutMs)), deadlineMs);
  });
  return Promise.race([request(), deadline]).finally(() => clearTimeout(timer));
}
