/** The IMDSv2 session-token store: bounded, expiring, evicting the earliest-expiring token when full. */
import { randomBytes } from "node:crypto";
import type { Clock } from "../time/clock.js";

/** Largest TTL IMDSv2 grants, seconds (6 h). */
export const IMDS_MAX_TOKEN_TTL_SECONDS = 21_600;
/** Default bound on live tokens. */
export const DEFAULT_MAX_IMDS_TOKENS = 1000;

/** Issued tokens and their expiry. */
export interface ImdsTokenStore {
  /**
   * Issues a new random token valid for `ttlSeconds`, evicting expired tokens and then the earliest-expiring one when
   * full.
   */
  issue(ttlSeconds: number): string;
  /** Whole seconds left on `token` (≥ 1), or undefined when unknown or expired (expired ones are dropped). */
  remainingSeconds(token: string): number | undefined;
  /** Live entries held (expired ones may linger until looked up or a sweep). */
  size(): number;
}

/**
 * Creates an empty token store bounded to `maxTokens` (default 1000); the official helper's cap never evicted (facts
 * §5).
 */
export function createImdsTokenStore(opts: {
  clock: Clock;
  maxTokens?: number;
  onEvict?: (reason: "expired" | "full") => void;
}): ImdsTokenStore {
  const maxTokens = Math.max(1, opts.maxTokens ?? DEFAULT_MAX_IMDS_TOKENS);
  const tokens = new Map<string, number>(); // token → expiry, epoch ms

  const sweepExpired = (now: number) => {
    for (const [token, expiresAt] of tokens) {
      if (expiresAt <= now) {
        tokens.delete(token);
        opts.onEvict?.("expired");
      }
    }
  };
  const evictEarliest = () => {
    let victim: string | undefined;
    let earliest = Infinity;
    for (const [token, expiresAt] of tokens) {
      if (expiresAt < earliest) {
        earliest = expiresAt;
        victim = token;
      }
    }
    if (victim !== undefined) {
      tokens.delete(victim);
      opts.onEvict?.("full");
    }
  };

  return {
    issue(ttlSeconds) {
      const now = opts.clock.now();
      if (tokens.size >= maxTokens) sweepExpired(now);
      while (tokens.size >= maxTokens) evictEarliest();
      const token = randomBytes(48).toString("base64url");
      tokens.set(token, now + ttlSeconds * 1000);
      return token;
    },
    remainingSeconds(token) {
      const expiresAt = tokens.get(token);
      if (expiresAt === undefined) return undefined;
      const leftMs = expiresAt - opts.clock.now();
      if (leftMs <= 0) {
        tokens.delete(token);
        return undefined;
      }
      return Math.max(1, Math.floor(leftMs / 1000));
    },
    size: () => tokens.size,
  };
}
