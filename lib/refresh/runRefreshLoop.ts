import type { Logger } from "../log.js";
import type { Clock } from "../time/clock.js";
import { nextRefreshAtMs, retryDelayMs } from "../time/refreshSchedule.js";
import type { CredentialStore } from "../deliver/credentialStore.js";
import { isIamraError } from "../errors.js";

/** Policy of the refresh loop. */
export interface RefreshLoopOptions {
  /** One refresh (see refreshCycle); throws on failure. */
  refresh: () => Promise<unknown>;
  store: CredentialStore;
  clock: Clock;
  log: Logger;
  signal: AbortSignal;
  minValidityMs: number;
  jitterFraction?: number;
  random?: () => number;
  /** Backoff for retryable failures (base and cap, ms) and the slow retry period for permanent ones. */
  retry?: { baseMs?: number; capMs?: number; permanentDelayMs?: number };
  /** Longest single sleep, so the heartbeat stays fresh (default 30 s). */
  maxSleepMs?: number;
  /**
   * Longest time one refresh (or one tick) may take with every upstream call timing out and retrying, ms (default
   * 5 min); past it alive() is false, since a call that ignores its timeout has hung the loop.
   */
  cycleBudgetMs?: number;
  /** Called between sleeps, never during a refresh (e.g. to renew a Vault token that comes due between refreshes). */
  tick?: () => Promise<void>;
}

/**
 * A running loop: wake() triggers a refresh now; alive() is false when the loop has stalled (a refresh or tick in
 * flight for longer than the cycle budget, or no heartbeat from the sleeping loop); done resolves at stop.
 */
export interface RefreshLoop {
  wake(): void;
  alive(): boolean;
  /** Epoch ms of the next planned refresh. */
  nextRefreshAt(): number;
  done: Promise<void>;
}

/**
 * Keeps credentials fresh: refreshes at about half the remaining lifetime (with jitter, never serving less than the
 * minimum validity while upstreams are healthy), retries failures with capped exponential backoff and full jitter
 * (permanent errors slowly, never a crash loop), and stops when `signal` aborts — after any in-flight refresh finished.
 */
export function runRefreshLoop(o: RefreshLoopOptions): RefreshLoop {
  const log = o.log.child({ component: "refresh-loop" });
  const maxSleepMs = o.maxSleepMs ?? 30_000;
  const cycleBudgetMs = o.cycleBudgetMs ?? 5 * 60_000;
  let heartbeatMs = o.clock.now();
  /** When the refresh or tick in flight started; undefined while the loop sleeps. */
  let busySinceMs: number | undefined;
  let wakeUp: (() => void) | undefined;
  let woken = false;
  let attempt = 0;
  let nextAt = planFromStore();

  function planFromStore(): number {
    const creds = o.store.current();
    const obtained = o.store.obtainedAtMs(); // not when it was stored: adopted credentials were obtained earlier
    if (!creds || obtained === undefined || !o.store.isReady()) return o.clock.now();
    return nextRefreshAtMs({
      nowMs: o.clock.now(),
      obtainedAtMs: obtained,
      expiresAtMs: creds.expirationMs,
      minValidityMs: o.minValidityMs,
      jitterFraction: o.jitterFraction,
      random: o.random,
    });
  }

  async function sleepUntil(target: number): Promise<void> {
    while (!o.signal.aborted && !woken && o.clock.now() < target) {
      heartbeatMs = o.clock.now();
      const controller = new AbortController();
      const onAbort = () => controller.abort();
      o.signal.addEventListener("abort", onAbort, { once: true });
      wakeUp = () => controller.abort();
      // ends early when woken or stopping
      await o.clock.sleep(Math.min(maxSleepMs, target - o.clock.now()), controller.signal).catch(() => undefined);
      o.signal.removeEventListener("abort", onAbort);
      wakeUp = undefined;
      if (!o.signal.aborted && o.tick) {
        await busy(o.tick).catch((err: unknown) => log.debug({ err: String(err) }, "tick failed"));
      }
    }
    woken = false;
  }

  /** Runs `fn`, marking the loop busy meanwhile (alive() compares the time taken with the cycle budget). */
  async function busy(fn: () => Promise<unknown>): Promise<void> {
    busySinceMs = o.clock.now();
    try {
      await fn();
    } finally {
      busySinceMs = undefined;
      heartbeatMs = o.clock.now();
    }
  }

  async function loop(): Promise<void> {
    while (!o.signal.aborted) {
      await sleepUntil(nextAt);
      if (o.signal.aborted) break;
      heartbeatMs = o.clock.now();
      try {
        await busy(o.refresh);
        attempt = 0;
        nextAt = planFromStore();
        log.info({ nextRefreshAt: new Date(nextAt).toISOString() }, "next refresh scheduled");
      } catch (err) {
        if (o.signal.aborted) {
          // the stop ended the calls in flight: not a failure worth a retry or an error line
          log.info({ code: isIamraError(err) ? err.code : undefined }, "refresh stopped");
          break;
        }
        attempt++;
        const permanent = !(isIamraError(err) && err.retryable);
        const delay = retryDelayMs(attempt, { ...o.retry, permanent, random: o.random });
        nextAt = o.clock.now() + delay;
        const fields = {
          attempt,
          retryInMs: delay,
          permanent,
          error: isIamraError(err) ? err.toJSON() : { message: String(err) },
          servingUntil: o.store.current()?.expiration ?? null,
        };
        if (permanent) log.error(fields, "refresh failed with a permanent error; retrying slowly");
        else log.warn(fields, "refresh failed; retrying");
      }
      heartbeatMs = o.clock.now();
    }
  }

  const done = loop();
  return {
    wake() {
      woken = true;
      nextAt = o.clock.now();
      wakeUp?.();
    },
    alive: () =>
      busySinceMs !== undefined
        ? o.clock.now() - busySinceMs <= cycleBudgetMs
        : o.clock.now() - heartbeatMs < Math.max(5 * 60_000, 3 * maxSleepMs),
    nextRefreshAt: () => nextAt,
    done,
  };
}
