import type { VaultAuth } from "./VaultClient.js";

/** Options for shouldRenew(): the fraction of the token's lifetime after which it is renewed (Vault Agent uses 2/3). */
export interface RenewOptions {
  renewAtFraction?: number;
}

/** When the token expires, epoch ms; Infinity for tokens without a TTL (leaseDurationSec 0, e.g. root). */
export function tokenExpiresAtMs(auth: Pick<VaultAuth, "leaseDurationSec" | "obtainedAtMs">): number {
  return auth.leaseDurationSec > 0 ? auth.obtainedAtMs + auth.leaseDurationSec * 1000 : Infinity;
}

/**
 * When the token should be renewed, epoch ms: obtainedAt + lifetime × renewAtFraction (default 0.67); Infinity if it
 * never expires.
 */
export function tokenRenewAtMs(
  auth: Pick<VaultAuth, "leaseDurationSec" | "obtainedAtMs">,
  opts: RenewOptions = {},
): number {
  const fraction = opts.renewAtFraction ?? 0.67;
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`renewAtFraction must be in (0, 1), got ${fraction}`);
  return auth.leaseDurationSec > 0 ? auth.obtainedAtMs + auth.leaseDurationSec * 1000 * fraction : Infinity;
}

/**
 * True when a renewable token with a TTL has reached `renewAtFraction` of its lifetime at `nowMs`.
 * A non-renewable token is never renewed (log in again before tokenExpiresAtMs instead); neither is one without a TTL.
 */
export function shouldRenew(
  auth: Pick<VaultAuth, "leaseDurationSec" | "obtainedAtMs" | "renewable">,
  nowMs: number,
  opts: RenewOptions = {},
): boolean {
  return auth.renewable && nowMs >= tokenRenewAtMs(auth, opts);
}
