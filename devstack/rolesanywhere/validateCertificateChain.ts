/** Validates a leaf certificate through the sent intermediates up to one of a trust anchor's CA certificates. */
import type { X509Certificate } from "node:crypto";
import { certificateValidity } from "../../lib/x509/certificateValidity.js";
import { accessDenied } from "./rolesAnywhereApiError.js";

/** Longest path accepted, leaf excluded. */
const MAX_DEPTH = 8;

/** Throws AccessDeniedException unless `cert` is valid at nowMs. */
function checkValidity(cert: X509Certificate, role: string, nowMs: number): void {
  const { notBeforeMs, notAfterMs } = certificateValidity(cert);
  if (!(nowMs >= notBeforeMs))
    throw accessDenied(`Certificate is not yet valid (${role}, not before ${cert.validFrom})`);
  if (!(nowMs <= notAfterMs)) throw accessDenied(`Certificate is expired (${role}, not after ${cert.validTo})`);
}

/** True when `issuer`'s name matches `cert`'s issuer and `issuer`'s key verifies `cert`'s signature. */
function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false; // an unusable key or a malformed certificate cannot be the issuer
  }
}

/**
 * Builds the path leaf → intermediates → anchor CA: each link checked by issuer/subject and signature, every
 * certificate
 * on the path within its validity at nowMs, intermediates marked CA, the leaf not a CA. Returns the path (anchor last).
 */
export function validateCertificateChain(
  leaf: X509Certificate,
  intermediates: readonly X509Certificate[],
  anchors: readonly X509Certificate[],
  nowMs: number,
): X509Certificate[] {
  if (leaf.ca) throw accessDenied("Untrusted certificate. The end-entity certificate must not be a CA certificate");
  checkValidity(leaf, "end-entity certificate", nowMs);
  // PKCS#12 senders repeat the leaf in the chain header; it is not an intermediate.
  const pool = intermediates.filter((c) => !c.raw.equals(leaf.raw));
  const path: X509Certificate[] = [leaf];
  let current = leaf;
  for (let depth = 0; depth <= MAX_DEPTH; depth++) {
    const anchor = anchors.find((a) => issuedBy(current, a));
    if (anchor) {
      checkValidity(anchor, "trust anchor CA", nowMs);
      path.push(anchor);
      return path;
    }
    const next = pool.find((c) => !path.includes(c) && issuedBy(current, c));
    if (!next) break;
    if (!next.ca) throw accessDenied("Untrusted certificate. An intermediate certificate is not a CA certificate");
    checkValidity(next, "intermediate certificate", nowMs);
    path.push(next);
    current = next;
  }
  throw accessDenied("Untrusted certificate. Insufficient certificate: no chain to the trust anchor");
}
