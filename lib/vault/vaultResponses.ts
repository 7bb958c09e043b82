import { IamraError } from "../errors.js";
import type { IssuedCertificate, TokenInfo, VaultAuth, VaultHealth } from "./VaultClient.js";

/** Where a response came from, for the error when it does not have the expected shape. */
export interface ResponseOrigin {
  step: string;
  path: string;
}

type Json = Record<string, unknown>;

function invalid(origin: ResponseOrigin, what: string): IamraError {
  return new IamraError({
    code: "VAULT_RESPONSE_INVALID",
    message: `Vault's answer from ${origin.path} is not what the Vault API documents (${what}).`,
    hint: "Check that VAULT_ADDR points at Vault itself (not a proxy or login page) and that the mount has the expected type.",
    retryable: false,
    step: origin.step,
    details: { path: origin.path },
  });
}

function obj(v: unknown): Json | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v) ?? {})) if (typeof val === "string") out[k] = val;
  return out;
}

function num(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/** The `auth` block of a login or renew-self answer as a VaultAuth, stamped with `nowMs`. */
export function toVaultAuth(body: unknown, nowMs: number, origin: ResponseOrigin): VaultAuth {
  const auth = obj(obj(body)?.auth);
  const clientToken = auth?.client_token;
  if (!auth || typeof clientToken !== "string" || !clientToken) throw invalid(origin, "no auth.client_token");
  const policies = strings(auth.policies);
  return {
    clientToken,
    accessor: typeof auth.accessor === "string" ? auth.accessor : "",
    policies: policies.length ? policies : strings(auth.token_policies),
    leaseDurationSec: num(auth.lease_duration) ?? 0,
    renewable: auth.renewable === true,
    metadata: stringMap(auth.metadata),
    obtainedAtMs: nowMs,
  };
}

/** The `data` block of auth/token/lookup-self as TokenInfo (the token id itself is dropped). */
export function toTokenInfo(body: unknown, origin: ResponseOrigin): TokenInfo {
  const data = obj(obj(body)?.data);
  if (!data) throw invalid(origin, "no data");
  const info: TokenInfo = {
    ttlSec: num(data.ttl) ?? 0,
    renewable: data.renewable === true,
    policies: strings(data.policies),
    accessor: typeof data.accessor === "string" ? data.accessor : "",
  };
  if (typeof data.expire_time === "string" && data.expire_time) info.expireTime = data.expire_time;
  return info;
}

/** The `data` block of <mount>/sign|issue/<role> as an IssuedCertificate. `withKey` requires private_key (issue). */
export function toIssuedCertificate(body: unknown, withKey: boolean, origin: ResponseOrigin): IssuedCertificate {
  const root = obj(body);
  const data = obj(root?.data);
  const certificatePem = data?.certificate;
  if (!data || typeof certificatePem !== "string" || !certificatePem.includes("-----BEGIN CERTIFICATE-----")) {
    throw invalid(origin, "no PEM data.certificate");
  }
  const expirationSec = num(data.expiration);
  if (expirationSec === undefined) throw invalid(origin, "no numeric data.expiration");
  const issued: IssuedCertificate = {
    certificatePem,
    issuingCaPem: typeof data.issuing_ca === "string" ? data.issuing_ca : "",
    caChainPems: strings(data.ca_chain),
    serialNumber: typeof data.serial_number === "string" ? data.serial_number : "",
    expirationSec,
    warnings: strings(root?.warnings),
  };
  if (withKey) {
    if (typeof data.private_key !== "string" || !data.private_key.includes("PRIVATE KEY"))
      throw invalid(origin, "no data.private_key");
    issued.privateKeyPem = data.private_key;
  }
  return issued;
}

/** The body of sys/health, in any state. */
export function toVaultHealth(body: unknown, origin: ResponseOrigin): VaultHealth {
  const b = obj(body);
  if (!b || typeof b.initialized !== "boolean" || typeof b.sealed !== "boolean")
    throw invalid(origin, "no initialized/sealed flags");
  const health: VaultHealth = { initialized: b.initialized, sealed: b.sealed, standby: b.standby === true };
  if (typeof b.version === "string") health.version = b.version;
  return health;
}
