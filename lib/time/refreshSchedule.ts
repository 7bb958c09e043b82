/**
 * Refresh scheduling for the refresher (pure: time and randomness are passed in): rotate at about half the remaining
 * lifetime, with jitter.
 */
import { fullJitterDelayMs } from "./backoff.js";

/** Validity kept on served credentials by default: botocore re-fetches on every read below 15 minutes. */
export const DEFAULT_MIN_VALIDITY_MS = 15 * 60_000;
/** Default jitter: ±10 % of the half-lifetime around the midpoint. */
export const DEFAULT_JITTER_FRACTION = 0.1;

/** Inputs of nextRefreshAtMs; all times are epoch milliseconds. */
export interface RefreshScheduleInput {
  nowMs: number;
  /** When the current credentials were obtained (start of their lifetime). */
  obtainedAtMs: number;
  /** When they expire. */
  expiresAtMs: number;
  /** Validity to keep on what is served (default 15 min); scaled down for short sessions. */
  minValidityMs?: number;
  /** Jitter as a fraction of half the lifetime, 0..1 (default 0.1). */
  jitterFraction?: number;
  /** Uniform random in [0, 1); Math.random by default. */
  random?: () => number;
}

/**
 * The minimum validity that applies to a session of `lifetimeMs`: `minValidityMs` when the session lasts at least twice
 * as long, otherwise a quarter of the lifetime (so sessions of seconds in tests behave like an hour-long one, scaled).
 */
export function effectiveMinValidityMs(lifetimeMs: number, minValidityMs: number = DEFAULT_MIN_VALIDITY_MS): number {
  if (lifetimeMs <= 0) return 0;
  return lifetimeMs >= 2 * minValidityMs ? minValidityMs : lifetimeMs / 4;
}

/**
 * When to refresh next (epoch ms): the midpoint between obtainedAt and expiresAt, ± jitterFraction × half the lifetime,
 * but never later than expiresAt − effective minimum validity and never earlier than now. Past that point (or after
 * expiry) the answer is `nowMs`: refresh at once.
 */
export function nextRefreshAtMs(input: RefreshScheduleInput): number {
  const { nowMs, obtainedAtMs, expiresAtMs } = input;
  const minValidityMs = input.minValidityMs ?? DEFAULT_MIN_VALIDITY_MS;
  const jitterFraction = Math.min(1, Math.max(0, input.jitterFraction ?? DEFAULT_JITTER_FRACTION));
  const random = input.random ?? Math.random;
  const lifetimeMs = expiresAtMs - obtainedAtMs;
  if (!(lifetimeMs > 0) || expiresAtMs <= nowMs) return nowMs;
  const halfMs = lifetimeMs / 2;
  const jitterMs = (random() * 2 - 1) * jitterFraction * halfMs;
  const latestMs = expiresAtMs - effectiveMinValidityMs(lifetimeMs, minValidityMs);
  const target = Math.min(obtainedAtMs + halfMs + jitterMs, latestMs);
  return Math.max(nowMs, Math.floor(target));
}

/** Options of retryDelayMs. */
export interface RetryDelayOptions {
  /** Ceiling of the first retry's delay, ms (default 1 s). */
  baseMs?: number;
  /** Largest delay for transient errors, ms (default 2 min). */
  capMs?: number;
  /** True for errors that will not go away by themselves (HTTP 403, bad config): retry slowly. */
  permanent: boolean;
  /** Delay for permanent errors, ms (default 5 min), jittered by ±20 %. */
  permanentDelayMs?: number;
  /** Uniform random in [0, 1); Math.random by default. */
  random?: () => number;
}

/** Default delays of retryDelayMs, ms. */
export const RETRY_DELAY_DEFAULTS = { baseMs: 1_000, capMs: 120_000, permanentDelayMs: 300_000 } as const;

/**
 * Delay before retry number `attempt` (1-based) after a failed refresh, ms: capped exponential backoff with full jitter
 * for transient errors; a slow, jittered, fixed delay for permanent ones, so that nothing crash-loops or hammers
 * upstreams.
 */
export function retryDelayMs(attempt: number, opts: RetryDelayOptions): number {
  const random = opts.random ?? Math.random;
  if (opts.permanent) {
    const base = opts.permanentDelayMs ?? RETRY_DELAY_DEFAULTS.permanentDelayMs;
    return Math.floor(base * (0.8 + 0.4 * random()));
  }
  const baseMs = opts.baseMs ?? RETRY_DELAY_DEFAULTS.baseMs;
  const capMs = opts.capMs ?? RETRY_DELAY_DEFAULTS.capMs;
  return fullJitterDelayMs(Math.max(1, Math.floor(attempt)), { baseMs, capMs }, random);
}
