/** Derives the session tags IAM Roles Anywhere maps from a certificate (x509Subject/*, x509Issuer/*, x509SAN/*). */
import { x509 } from "../certificates/x509Library.js";

/** Distinguished-name attributes mapped to tags, as Roles Anywhere does. */
const DN_ATTRIBUTES = ["CN", "O", "OU", "C", "ST", "L"] as const;

/** Tags and source identity for one certificate. */
export interface CertificateSessionTags {
  /** e.g. { "x509Subject/CN": "app", "x509Issuer/CN": "Intermediate", "x509SAN/URI": "spiffe://…" }. */
  tags: Record<string, string>;
  /** The subject CN, when there is one. */
  sourceIdentity?: string;
}

function dnTags(name: x509.Name, prefix: string, tags: Record<string, string>): void {
  for (const attr of DN_ATTRIBUTES) {
    const values = name.getField(attr);
    if (values.length > 0) tags[`${prefix}/${attr}`] = values[0]!;
  }
}

/** Maps subject and issuer attributes (first value each), and the first URI and first DNS subject alternative name. */
export function sessionTagsFromCertificate(der: Buffer): CertificateSessionTags {
  const cert = new x509.X509Certificate(der);
  const tags: Record<string, string> = {};
  dnTags(cert.subjectName, "x509Subject", tags);
  dnTags(cert.issuerName, "x509Issuer", tags);
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  if (san) {
    const uri = san.names.items.find((n) => n.type === "url");
    const dns = san.names.items.find((n) => n.type === "dns");
    if (uri) tags["x509SAN/URI"] = uri.value;
    if (dns) tags["x509SAN/DNS"] = dns.value;
  }
  return { tags, sourceIdentity: tags["x509Subject/CN"] };
}
