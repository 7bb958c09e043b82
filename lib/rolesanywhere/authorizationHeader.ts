import type { X509SigningAlgorithm } from "./stringToSign.js";

/** The parts of a SigV4-X509 Authorization header. */
export interface ParsedAuthorization {
  algorithm: X509SigningAlgorithm;
  /** Certificate serial, decimal. */
  serial: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string[];
  /** Lower-case hex. */
  signature: string;
}

/** `<ALG> Credential=<serial>/<scope>, SignedHeaders=<h;h>, Signature=<hex>`. */
export function formatAuthorization(
  algorithm: X509SigningAlgorithm,
  serialDecimal: string,
  scope: string,
  signedHeaders: string,
  signatureHex: string,
): string {
  return `${algorithm} Credential=${serialDecimal}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signatureHex}`;
}

const AUTH_RE =
  /^(AWS4-X509-RSA-SHA256|AWS4-X509-ECDSA-SHA256) Credential=(\d+)\/(\d{8})\/([^/]+)\/([^/]+)\/([^,]+), ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]+)$/;

/** Parses an Authorization header; returns undefined when it is not SigV4-X509 shaped. */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const m = AUTH_RE.exec(header.trim());
  if (!m) return undefined;
  return {
    algorithm: m[1] as X509SigningAlgorithm,
    serial: m[2]!,
    date: m[3]!,
    region: m[4]!,
    service: m[5]!,
    terminator: m[6]!,
    signedHeaders: m[7]!.split(";"),
    signature: m[8]!,
  };
}
