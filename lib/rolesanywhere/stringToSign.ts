import { createHash } from "node:crypto";

/** SigV4-X509 algorithm names; the algorithm follows the private key type. */
export type X509SigningAlgorithm = "AWS4-X509-RSA-SHA256" | "AWS4-X509-ECDSA-SHA256";

/** Service name in the credential scope. */
export const ROLES_ANYWHERE_SERVICE = "rolesanywhere";

/** The algorithm name for a key type (RSA → RSA-SHA256; every ECDSA curve → ECDSA-SHA256). */
export function algorithmForKeyType(type: "rsa" | "ec"): X509SigningAlgorithm {
  return type === "rsa" ? "AWS4-X509-RSA-SHA256" : "AWS4-X509-ECDSA-SHA256";
}

/** X-Amz-Date format: YYYYMMDDTHHMMSSZ in UTC, from epoch milliseconds. */
export function formatAmzDate(nowMs: number): string {
  return new Date(nowMs)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** `<yyyymmdd>/<region>/rolesanywhere/aws4_request`. */
export function credentialScope(amzDate: string, region: string): string {
  return `${amzDate.slice(0, 8)}/${region}/${ROLES_ANYWHERE_SERVICE}/aws4_request`;
}

/** The string to sign: algorithm, date, scope and the hex SHA-256 of the canonical request, joined by newlines. */
export function buildStringToSign(
  algorithm: X509SigningAlgorithm,
  amzDate: string,
  region: string,
  canonicalRequest: string,
): string {
  const hash = createHash("sha256").update(canonicalRequest).digest("hex");
  return [algorithm, amzDate, credentialScope(amzDate, region), hash].join("\n");
}
