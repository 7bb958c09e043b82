/** A token bucket for the stand-in's CreateSession quota (AWS default: 10 TPS per account and region). */

/** takes one token when available. */
export interface TokenBucket {
  tryTake(): boolean;
}

/**
 * A bucket holding at most `ratePerSecond` tokens, refilled continuously at `ratePerSecond`.
 * `nowMs` defaults to a monotonic wall clock: the quota is about real request rate, not about the (often frozen)
 * clock that tests inject for certificate validity and expiry.
 */
export function createTokenBucket(ratePerSecond: number, nowMs: () => number = () => performance.now()): TokenBucket {
  let tokens = ratePerSecond;
  let last = nowMs();
  return {
    tryTake() {
      const now = nowMs();
      tokens = Math.min(ratePerSecond, tokens + ((now - last) / 1000) * ratePerSecond);
      last = now;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
