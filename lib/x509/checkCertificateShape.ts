import { readDerChildren, readDerElement } from "./readDer.js";

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
/** tbsCertificate's optional trailing fields: issuerUniqueID [1], subjectUniqueID [2], extensions [3]. */
const TBS_OPTIONAL_TAIL = new Set([0x81, 0x82, 0xa3]);

/**
 * Throws RangeError unless `der` is exactly one Certificate in outline (RFC 5280 4.1): a SEQUENCE of tbsCertificate
 * (SEQUENCE), signatureAlgorithm (SEQUENCE) and signatureValue (BIT STRING) with nothing after it, and a tbsCertificate
 * of [0] version (optional), serialNumber (INTEGER), five SEQUENCEs (signature, issuer, validity, subject,
 * subjectPublicKeyInfo) and the optional [1], [2], [3], their lengths filling it exactly. Deeper elements are not read
 * (walking all of them cost half as much as parsing the certificates), nor are values decoded.
 */
export function checkCertificateShape(der: Buffer): void {
  const certificate = readDerElement(der, 0);
  if (certificate.tag !== SEQUENCE) throw new RangeError("not a DER SEQUENCE");
  if (certificate.end !== der.length) throw new RangeError(`${der.length - certificate.end} octets after the SEQUENCE`);
  const [tbs, algorithm, signature, ...more] = readDerChildren(der, certificate);
  if (tbs?.tag !== SEQUENCE || algorithm?.tag !== SEQUENCE || signature?.tag !== BIT_STRING || more.length > 0) {
    throw new RangeError("not a SEQUENCE of tbsCertificate, signatureAlgorithm and signatureValue");
  }
  const fields = readDerChildren(der, tbs).map((e) => e.tag);
  if (fields[0] === 0xa0) fields.shift();
  const required = [INTEGER, SEQUENCE, SEQUENCE, SEQUENCE, SEQUENCE, SEQUENCE];
  if (required.some((tag, i) => fields[i] !== tag) || !fields.slice(6).every((t) => TBS_OPTIONAL_TAIL.has(t))) {
    throw new RangeError("tbsCertificate does not have the fields of a certificate");
  }
}
