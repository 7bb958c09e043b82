/** Derives the session tags IAM Roles Anywhere maps from a certificate (x509Subject/*, x509Issuer/*, x509SAN/*). */
import type { X509Certificate } from "node:crypto";
import { subjectAltNames } from "../../lib/x509/subjectAltNames.js";

/** Distinguished-name attributes mapped to tags, as Roles Anywhere does. */
const DN_ATTRIBUTES = ["CN", "O", "OU", "C", "ST", "L"] as const;

/** Tags and source identity for one certificate. */
export interface CertificateSessionTags {
  /** e.g. { "x509Subject/CN": "app", "x509Issuer/CN": "Intermediate", "x509SAN/URI": "spiffe://…" }. */
  tags: Record<string, string>;
  /** The subject CN, when there is one. */
  sourceIdentity?: string;
}

/** A name as node's legacy certificate object gives it: one string per attribute, or an array when it repeats. */
type LegacyName = Record<string, string | string[] | undefined>;

function dnTags(name: LegacyName | undefined, prefix: string, tags: Record<string, string>): void {
  for (const attr of DN_ATTRIBUTES) {
    const value = name?.[attr];
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) tags[`${prefix}/${attr}`] = first;
  }
}

/**
 * Maps subject and issuer attributes (first value each), and the first URI and first DNS subject alternative name.
 * Reads them with node's certificate parser, which the stand-in has already used to check the chain.
 */
export function sessionTagsFromCertificate(cert: X509Certificate): CertificateSessionTags {
  const legacy = cert.toLegacyObject() as unknown as { subject?: LegacyName; issuer?: LegacyName };
  const tags: Record<string, string> = {};
  dnTags(legacy.subject, "x509Subject", tags);
  dnTags(legacy.issuer, "x509Issuer", tags);
  const { uris, dns } = subjectAltNames(cert);
  if (uris.length > 0) tags["x509SAN/URI"] = uris[0]!;
  if (dns.length > 0) tags["x509SAN/DNS"] = dns[0]!;
  return { tags, sourceIdentity: tags["x509Subject/CN"] };
}
