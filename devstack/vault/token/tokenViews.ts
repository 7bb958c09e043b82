import type { AuthBlock } from "../http/vaultTypes.js";
import type { VaultState } from "../state/VaultState.js";
import type { TokenEntry } from "./TokenStore.js";

/** The `auth` block for a token (login, create, renew), per HTTPAuth in translate_response.go. */
export function tokenAuthBlock(entry: TokenEntry, leaseDuration: number): AuthBlock {
  return {
    client_token: entry.id,
    accessor: entry.accessor,
    policies: entry.policies,
    token_policies: entry.policies,
    metadata: entry.meta,
    lease_duration: leaseDuration,
    renewable: entry.renewable,
    entity_id: entry.entityId,
    token_type: entry.type,
    orphan: entry.orphan,
    mfa_requirement: null,
    num_uses: entry.numUses,
  };
}

/** The `data` of `auth/token/lookup-self` (token_store.go handleLookup). */
export function tokenLookupData(state: VaultState, entry: TokenEntry): Record<string, unknown> {
  const secs = (ms: number) => Math.floor(ms / 1000);
  const data: Record<string, unknown> = {
    accessor: entry.accessor,
    creation_time: secs(entry.creationTime),
    creation_ttl: entry.creationTtl,
    display_name: entry.displayName,
    entity_id: entry.entityId,
    expire_time: entry.expireAt === null ? null : new Date(entry.expireAt).toISOString(),
    explicit_max_ttl: entry.explicitMaxTtl,
    id: entry.id,
    issue_time: new Date(entry.creationTime).toISOString(),
    meta: entry.meta,
    num_uses: entry.numUses,
    orphan: entry.orphan,
    path: entry.path,
    policies: entry.policies,
    renewable: entry.renewable,
    ttl: state.tokens.remainingTtl(entry),
    type: entry.type,
  };
  if (entry.role) data["role"] = entry.role;
  if (entry.period) data["period"] = entry.period;
  if (entry.lastRenewalTime !== undefined) {
    data["last_renewal"] = new Date(entry.lastRenewalTime).toISOString();
    data["last_renewal_time"] = secs(entry.lastRenewalTime);
  }
  return data;
}

/**
 * Vault's SanitizePolicies: trimmed, lower-cased, de-duplicated, sorted; `default` added on request; root stands alone.
 */
export function sanitizePolicies(policies: string[], addDefault: boolean): string[] {
  const set = new Set(policies.map((p) => p.trim().toLowerCase()).filter((p) => p !== ""));
  if (set.has("root")) return ["root"];
  if (addDefault) set.add("default");
  return [...set].sort();
}
