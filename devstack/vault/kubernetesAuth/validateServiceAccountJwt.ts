import { createPublicKey, verify as verifySignature } from "node:crypto";
import { VaultHttpError } from "../http/VaultHttpError.js";

/** Service-account identity read from JWT claims (legacy secret tokens or projected `kubernetes.io` tokens). */
export interface ServiceAccountClaims {
  name: string;
  namespace: string;
  uid: string;
  secretName: string;
  audiences: string[];
}

/** What the role and config ask the JWT to satisfy. */
export interface JwtExpectations {
  nowMs: number;
  issuer?: string;
  audience?: string;
  pemKeys: string[];
}

const ALLOWED_ALGS = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512"];
const CLOCK_SKEW_S = 60; // jwt.DefaultLeeway in go-jose, used by hashicorp/cap
const EXP_LEEWAY_S = 150; // cap/jwt DefaultLeewaySeconds when exp is missing

function b64json(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
}

function verifyWithKey(alg: string, signingInput: string, sig: Buffer, pem: string): boolean {
  const hash = `sha${alg.slice(2)}`;
  const key = createPublicKey(pem);
  if (alg.startsWith("ES"))
    return verifySignature(hash, Buffer.from(signingInput), { key, dsaEncoding: "ieee-p1363" }, sig);
  if (alg.startsWith("PS"))
    return verifySignature(
      hash,
      Buffer.from(signingInput),
      { key, padding: 6, saltLength: Number(alg.slice(2)) / 8 },
      sig,
    );
  return verifySignature(hash, Buffer.from(signingInput), key, sig);
}

/**
 * Parses and checks a service-account JWT the way vault-plugin-auth-kubernetes does with hashicorp/cap
 * (ValidateAllowMissingIatNbfExp): signature only with pem_keys, then alg, iss, aud and time claims.
 * Signature/parse failures become 403 `permission denied`; claim failures 403 with cap's message.
 */
export function validateServiceAccountJwt(jwt: string, want: JwtExpectations): ServiceAccountClaims {
  const parts = jwt.split(".");
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    if (parts.length !== 3) throw new Error("compact JWS format must have three parts");
    header = b64json(parts[0]!);
    claims = b64json(parts[1]!);
  } catch {
    throw VaultHttpError.coded(403, "permission denied");
  }
  const alg = String(header["alg"] ?? "");
  if (want.pemKeys.length) {
    const sig = Buffer.from(parts[2]!, "base64url");
    const input = `${parts[0]}.${parts[1]}`;
    const ok =
      ALLOWED_ALGS.includes(alg) &&
      want.pemKeys.some((pem) => {
        try {
          return verifyWithKey(alg, input, sig, pem);
        } catch {
          return false; // a key of another type simply does not verify this token
        }
      });
    if (!ok) throw VaultHttpError.coded(403, "permission denied");
  }
  const deny = (msg: string): never => {
    throw VaultHttpError.coded(403, msg);
  };
  if (!ALLOWED_ALGS.includes(alg))
    deny("invalid algorithm (alg) header parameter: token signed with unexpected algorithm");
  if (want.issuer && claims["iss"] !== want.issuer) deny("invalid issuer (iss) claim");
  const aud = Array.isArray(claims["aud"])
    ? (claims["aud"] as unknown[]).map(String)
    : claims["aud"]
      ? [String(claims["aud"])]
      : [];
  if (want.audience && !aud.includes(want.audience))
    deny("invalid audience (aud) claim: audience claim does not match any expected audience");
  const iat = Number(claims["iat"] ?? 0);
  let exp = Number(claims["exp"] ?? 0);
  let nbf = Number(claims["nbf"] ?? 0);
  if (iat || exp || nbf) {
    if (!exp) exp = Math.max(iat, nbf) + EXP_LEEWAY_S;
    if (!nbf) nbf = iat || exp - EXP_LEEWAY_S;
    const now = want.nowMs / 1000;
    if (now + CLOCK_SKEW_S < nbf) deny("invalid not before (nbf) claim: token not yet valid");
    if (now - CLOCK_SKEW_S > exp) deny("invalid expiration time (exp) claim: token is expired");
    if (iat && now + CLOCK_SKEW_S < iat) deny("invalid issued at (iat) claim: token issued in the future");
  }
  const k8s = claims["kubernetes.io"] as
    { namespace?: string; serviceaccount?: { name?: string; uid?: string } } | undefined;
  return {
    name: k8s?.serviceaccount
      ? String(k8s.serviceaccount.name ?? "")
      : String(claims["kubernetes.io/serviceaccount/service-account.name"] ?? ""),
    uid: k8s?.serviceaccount
      ? String(k8s.serviceaccount.uid ?? "")
      : String(claims["kubernetes.io/serviceaccount/service-account.uid"] ?? ""),
    namespace: k8s ? String(k8s.namespace ?? "") : String(claims["kubernetes.io/serviceaccount/namespace"] ?? ""),
    secretName: String(claims["kubernetes.io/serviceaccount/secret.name"] ?? ""),
    audiences: aud,
  };
}
