import { createHash, sign, verify, type KeyObject } from "node:crypto";

/** The claims of a projected service-account token (what kube-apiserver's TokenRequest puts in it). */
export interface ServiceAccountTokenClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  "kubernetes.io": {
    namespace: string;
    serviceaccount: { name: string; uid: string };
    pod?: { name: string; uid: string };
  };
}

/** The JWK key id kube-apiserver derives from the public key: base64url(SHA-256(SPKI DER)). */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("base64url");
}

/** Signs claims as an RS256 JWS in compact form. */
export function signServiceAccountJwt(claims: ServiceAccountTokenClaims, privateKey: KeyObject, kid: string): string {
  const header = Buffer.from(JSON.stringify({ alg: "RS256", kid })).toString("base64url");
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const signature = sign("sha256", Buffer.from(`${header}.${payload}`), privateKey).toString("base64url");
  return `${header}.${payload}.${signature}`;
}

/** Verifies an RS256 compact JWS against the key and returns its claims, or undefined when malformed or forged. */
export function verifyServiceAccountJwt(jwt: string, publicKey: KeyObject): ServiceAccountTokenClaims | undefined {
  const parts = jwt.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8")) as { alg?: string };
    if (header.alg !== "RS256") return undefined;
    const ok = verify("sha256", Buffer.from(`${parts[0]}.${parts[1]}`), publicKey, Buffer.from(parts[2]!, "base64url"));
    if (!ok) return undefined;
    return JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as ServiceAccountTokenClaims;
  } catch {
    return undefined; // undecodable tokens are simply not valid service-account tokens
  }
}

/** Reads a string claim of a JWT without verifying it (for the request log and revocation by `jti`). */
export function unverifiedClaim(jwt: string, name: "sub" | "jti"): string | undefined {
  try {
    const claims = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
    return typeof claims[name] === "string" ? (claims[name] as string) : undefined;
  } catch {
    return undefined; // not a JWT: nothing to log
  }
}
