/** Checks on certificates before they are used: key/cert pairing, validity window and chain linkage. */
import type { X509Certificate } from "node:crypto";
import type { ErrorCode } from "../errorCodes.js";
import { IamraError } from "../errors.js";
import type { SigningKey } from "./signingKey.js";
import { certificateValidity } from "./certificateValidity.js";
import { describeCertificate, oneLineName } from "./describeCertificate.js";

export { describeCertificate, type CertificateDescription } from "./describeCertificate.js";

const STEP = "check-certificate";

/**
 * True when `cert` carries the public half of `key`: OpenSSL's X509_check_private_key, one native call (exporting both
 * public keys as SubjectPublicKeyInfo DER to compare them cost a one-shot command about a millisecond).
 */
export function keyMatchesCertificate(key: SigningKey, cert: X509Certificate): boolean {
  return cert.checkPrivateKey(key.keyObject);
}

/**
 * Throws KEY_CERT_MISMATCH unless `cert` was issued for `key` (the official helper never checks; Roles Anywhere then
 * rejects the signature).
 */
export function checkKeyMatchesCertificate(key: SigningKey, cert: X509Certificate): void {
  if (keyMatchesCertificate(key, cert)) return;
  throw new IamraError({
    code: "KEY_CERT_MISMATCH",
    message:
      `The private key (${keyLabel(key)}) does not match the certificate ${label(cert)} ` +
      `(certificate key: ${cert.publicKey.asymmetricKeyType ?? "unknown"}).`,
    hint: "The key and certificate files are from different pairs; point --private-key and --certificate at a matching pair.",
    step: STEP,
    details: { subject: oneLineName(cert.subject), serial: cert.serialNumber },
  });
}

/** Throws CERTIFICATE_NOT_YET_VALID / CERTIFICATE_EXPIRED unless notBefore <= nowMs <= notAfter (RFC 5280 §4.1.2.5). */
export function checkValidity(cert: X509Certificate, nowMs: number): void {
  checkWindow(cert, nowMs, LEAF_CODES, `certificate ${label(cert)}`);
}

/**
 * Throws unless leaf → chain[0] → chain[1] … each is issued (names) and signed (signature) by the next, and every
 * issuer is a
 * CA certificate within its validity at nowMs. A copy of the leaf at chain[0] (PKCS#12 style) is skipped. The leaf's
 * own
 * validity is checkValidity's job. Errors: CHAIN_BROKEN, CHAIN_CERT_NOT_CA, CHAIN_CERT_EXPIRED,
 * CHAIN_CERT_NOT_YET_VALID.
 */
export function checkChain(leaf: X509Certificate, chain: X509Certificate[], nowMs: number): void {
  const rest = chain.length > 0 && chain[0]!.raw.equals(leaf.raw) ? chain.slice(1) : chain;
  let child = leaf;
  rest.forEach((parent, i) => {
    const where = `chain certificate ${i + 1} ${label(parent)}`;
    const linked = child.issuer === parent.subject;
    if (!linked || !verifies(child, parent)) {
      throw new IamraError({
        code: "CHAIN_BROKEN",
        message: linked
          ? `Certificate ${label(child)} is not signed by ${where} (signature does not verify).`
          : `Certificate ${label(child)} names issuer "${oneLineName(child.issuer)}", but the next certificate is ${where}.`,
        hint: "Order the chain leaf-first (each certificate followed by its issuer) and include only the issuing CA path.",
        step: STEP,
        details: { position: i + 1, child: describeCertificate(child), parent: describeCertificate(parent) },
      });
    }
    if (!parent.ca) {
      throw new IamraError({
        code: "CHAIN_CERT_NOT_CA",
        message: `${capitalize(where)} signs ${label(child)} but is not a CA certificate (basicConstraints CA:FALSE or absent).`,
        hint: "Only CA certificates may appear in the chain; re-issue the intermediate with basicConstraints CA:TRUE.",
        step: STEP,
        details: { position: i + 1 },
      });
    }
    checkWindow(parent, nowMs, CHAIN_CODES, where);
    child = parent;
  });
}

/** The codes a validity check throws, for the leaf and for the CA certificates of its chain. */
interface WindowCodes {
  notYetValid: ErrorCode;
  expired: ErrorCode;
}
const LEAF_CODES: WindowCodes = { notYetValid: "CERTIFICATE_NOT_YET_VALID", expired: "CERTIFICATE_EXPIRED" };
const CHAIN_CODES: WindowCodes = { notYetValid: "CHAIN_CERT_NOT_YET_VALID", expired: "CHAIN_CERT_EXPIRED" };

function checkWindow(cert: X509Certificate, nowMs: number, codes: WindowCodes, what: string): void {
  const { notBeforeMs, notAfterMs } = certificateValidity(cert);
  const at = new Date(nowMs).toISOString();
  const notBefore = new Date(notBeforeMs).toISOString();
  const notAfter = new Date(notAfterMs).toISOString();
  const details = { serial: cert.serialNumber, notBefore, notAfter, now: at };
  if (nowMs < notBeforeMs) {
    throw new IamraError({
      code: codes.notYetValid,
      message: `The ${what} is not valid yet: notBefore ${notBefore} is after now (${at}).`,
      hint: "Check the clocks of this machine and of the issuing CA (Vault backdates notBefore by 30s by default).",
      retryable: true,
      step: STEP,
      details,
    });
  }
  if (nowMs > notAfterMs) {
    throw new IamraError({
      code: codes.expired,
      message: `The ${what} expired: notAfter ${notAfter} is before now (${at}).`,
      hint: "Issue a new certificate (or renew the CA certificate) and check this machine's clock.",
      step: STEP,
      details,
    });
  }
}

function verifies(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.verify(parent.publicKey);
  } catch {
    // Node throws instead of returning false for some key/algorithm mismatches; both mean "not signed by parent".
    return false;
  }
}

function label(cert: X509Certificate): string {
  return `"${oneLineName(cert.subject)}" (serial ${cert.serialNumber})`;
}

function keyLabel(key: SigningKey): string {
  return key.type === "rsa" ? `RSA ${key.bits ?? "?"} bits` : `EC ${key.curve ?? "?"}`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
