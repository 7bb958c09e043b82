import type { VaultRequest, VaultResponse } from "../http/vaultTypes.js";
import { VaultHttpError } from "../http/VaultHttpError.js";
import { formatHumanDuration } from "../fields/durations.js";
import type { TokenEntry } from "./TokenStore.js";
import { tokenAuthBlock } from "./tokenViews.js";

/**
 * Renews a token like `auth/token/renew-self`: the increment (or the token's own TTL, or its auth role's TTL)
 * from now, capped at the max TTL with Vault's warning (token_store.go handleRenew + RenewalRequest).
 */
export function renewToken(req: VaultRequest, entry: TokenEntry): VaultResponse {
  if (!entry.renewable || entry.expireAt === null) throw VaultHttpError.badRequest("lease is not renewable");
  let increment = (req.fields["increment"] as number | undefined) ?? 0;
  if (entry.mountAccessor) {
    const mount = req.state.authMountByAccessor(entry.mountAccessor);
    const renew = mount?.backend.loginRenew;
    if (renew) {
      const { ttl, maxTtl } = renew(entry);
      if (maxTtl > 0) entry.maxExpireAt = entry.creationTime + maxTtl * 1000;
      if (increment === 0) increment = ttl;
    }
  }
  if (increment === 0) increment = entry.creationTtl;
  const { ttl, cappedFrom } = req.state.tokens.renew(entry, increment);
  const warnings =
    cappedFrom !== undefined
      ? [
          `TTL of "${formatHumanDuration(cappedFrom)}" exceeded the effective max_ttl of "${formatHumanDuration(ttl)}"; ` +
            "TTL value is capped accordingly",
        ]
      : [];
  return { auth: tokenAuthBlock(entry, ttl), warnings };
}
