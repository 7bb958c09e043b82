import type { Backend, VaultRequest, VaultResponse } from "../http/vaultTypes.js";
import { VaultHttpError } from "../http/VaultHttpError.js";
import { formatGoDuration } from "../fields/durations.js";
import { SYSTEM_MAX_LEASE_TTL as SYSTEM_MAX_LEASE_TTL_SECONDS } from "../state/VaultState.js";
import { renewToken } from "./renewToken.js";
import { sanitizePolicies, tokenAuthBlock, tokenLookupData } from "./tokenViews.js";

function self(req: VaultRequest) {
  return req.token!;
}

function lookupSelf(req: VaultRequest): VaultResponse {
  return { data: tokenLookupData(req.state, self(req)) };
}

function revokeSelf(req: VaultRequest): null {
  req.state.tokens.revoke(self(req).id);
  return null;
}

function revokeAccessor(req: VaultRequest): null {
  const entry = req.state.tokens.lookupAccessor(String(req.fields["accessor"] ?? ""));
  if (entry) req.state.tokens.revoke(entry.id);
  return null;
}

function createToken(req: VaultRequest): VaultResponse {
  const parent = self(req);
  const f = req.fields;
  const parentIsRoot = parent.policies.includes("root");
  const requested = (f["policies"] as string[] | undefined) ?? parent.policies;
  const policies = sanitizePolicies(requested, !(f["no_default_policy"] as boolean | undefined));
  if (!parentIsRoot && policies.some((p) => p !== "default" && !parent.policies.includes(p))) {
    throw VaultHttpError.badRequest("child policies must be subset of parent");
  }
  const noParent = (f["no_parent"] as boolean | undefined) ?? false;
  if (noParent && !parentIsRoot)
    throw VaultHttpError.badRequest("root or sudo privileges required to create orphan token");
  const explicitMax = (f["explicit_max_ttl"] as number | undefined) ?? 0;
  const period = (f["period"] as number | undefined) ?? 0;
  let ttl = (f["ttl"] as number | undefined) ?? period;
  if (ttl === 0 && !policies.includes("root")) ttl = SYSTEM_MAX_LEASE_TTL_SECONDS;
  const maxTtl = ttl > 0 ? Math.min(explicitMax || SYSTEM_MAX_LEASE_TTL_SECONDS, SYSTEM_MAX_LEASE_TTL_SECONDS) : 0;
  const warnings: string[] = [];
  if (maxTtl > 0 && ttl > maxTtl) {
    warnings.push(
      `TTL of "${formatGoDuration(ttl)}" exceeded the effective max_ttl of "${formatGoDuration(maxTtl)}"; TTL value is capped accordingly`,
    );
    ttl = maxTtl;
  }
  const displayName = f["display_name"] ? `token-${String(f["display_name"])}` : "token";
  const entry = req.state.tokens.create({
    id: f["id"] ? String(f["id"]) : undefined,
    policies,
    path: req.path,
    displayName,
    meta: (f["meta"] as Record<string, string> | undefined) ?? null,
    creationTtl: ttl,
    maxTtl,
    explicitMaxTtl: explicitMax,
    period,
    renewable: (f["renewable"] as boolean | undefined) ?? true,
    orphan: noParent || req.path.endsWith("create-orphan"),
    numUses: (f["num_uses"] as number | undefined) ?? 0,
  });
  if (ttl === 0) entry.renewable = false;
  return { auth: tokenAuthBlock(entry, ttl), warnings };
}

const CREATE_FIELDS = {
  id: "string",
  policies: "commaList",
  meta: "map",
  no_parent: "bool",
  no_default_policy: "bool",
  ttl: "duration",
  explicit_max_ttl: "duration",
  display_name: "string",
  num_uses: "int",
  renewable: "bool",
  period: "duration",
  type: "string",
  entity_alias: "string",
} as const;

/** The token auth method at `auth/token/` (vault/token_store.go): the self paths, create and revoke-accessor. */
export function createTokenBackend(): Backend {
  return {
    type: "token",
    routes: [
      { pattern: /^lookup-self$/, fields: { token: "string" }, ops: { read: lookupSelf, update: lookupSelf } },
      {
        pattern: /^renew-self$/,
        fields: { increment: "duration", token: "string" },
        ops: { update: (r) => renewToken(r, self(r)) },
      },
      { pattern: /^revoke-self$/, ops: { update: revokeSelf } },
      { pattern: /^create(-orphan)?$/, fields: CREATE_FIELDS, ops: { update: createToken } },
      { pattern: /^revoke-accessor$/, fields: { accessor: "string" }, ops: { update: revokeAccessor } },
    ],
  };
}
