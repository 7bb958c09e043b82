import type { ServiceAccountFacts } from "./vaultCallContext.js";

/**
 * Reads namespace, service account name, audiences and expiry from a Kubernetes service account JWT, without
 * verifying it (only to write precise hints). Handles projected tokens (`kubernetes.io` claim, `sub`
 * "system:serviceaccount:<ns>:<sa>") and legacy secret tokens (`kubernetes.io/serviceaccount/*`). Never returns the
 * token.
 */
export function serviceAccountFacts(jwt: string): ServiceAccountFacts {
  const payload = decodePayload(jwt);
  if (!payload) return {};
  const facts: ServiceAccountFacts = {};
  const k8s = payload["kubernetes.io"] as { namespace?: unknown; serviceaccount?: { name?: unknown } } | undefined;
  const sub = typeof payload.sub === "string" ? /^system:serviceaccount:([^:]+):([^:]+)$/.exec(payload.sub) : null;
  const ns = k8s?.namespace ?? payload["kubernetes.io/serviceaccount/namespace"] ?? sub?.[1];
  const name = k8s?.serviceaccount?.name ?? payload["kubernetes.io/serviceaccount/service-account.name"] ?? sub?.[2];
  if (typeof ns === "string") facts.namespace = ns;
  if (typeof name === "string") facts.name = name;
  if (typeof payload.aud === "string") facts.audiences = [payload.aud];
  else if (Array.isArray(payload.aud)) facts.audiences = payload.aud.filter((a): a is string => typeof a === "string");
  if (typeof payload.exp === "number") facts.expiresAtMs = payload.exp * 1000;
  return facts;
}

function decodePayload(jwt: string): Record<string, unknown> | undefined {
  const parts = jwt.trim().split(".");
  if (parts.length !== 3) return undefined;
  try {
    const json: unknown = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    return json && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  } catch {
    // Not a JWT we can read: the hints just get less specific; Vault decides validity.
    return undefined;
  }
}
