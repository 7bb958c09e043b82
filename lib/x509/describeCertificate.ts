/** Non-secret facts about a certificate, for logs and error details. */
import type { X509Certificate } from "node:crypto";
import { subjectAltNames } from "./subjectAltNames.js";
import { serialToDecimal } from "./parseCertificates.js";
import { certificateValidity } from "./certificateValidity.js";

/**
 * What describeCertificate returns; times are ISO 8601 strings, serial is decimal (as in the SigV4-X509 Credential).
 */
export type CertificateDescription = {
  subject: string;
  issuer: string;
  serial: string;
  serialHex: string;
  notBefore: string;
  notAfter: string;
  uriSans: string[];
  dnsSans: string[];
};

/** Subject, issuer, serial (decimal and hex), validity and URI/DNS SANs of `cert`. */
export function describeCertificate(cert: X509Certificate): CertificateDescription {
  const { notBeforeMs, notAfterMs } = certificateValidity(cert);
  const { uris: uriSans, dns: dnsSans } = subjectAltNames(cert);
  return {
    subject: oneLineName(cert.subject),
    issuer: oneLineName(cert.issuer),
    serial: serialToDecimal(cert),
    serialHex: cert.serialNumber,
    notBefore: new Date(notBeforeMs).toISOString(),
    notAfter: new Date(notAfterMs).toISOString(),
    uriSans,
    dnsSans,
  };
}

/** Node prints names one attribute per line ("CN=a\nO=b"); logs want "CN=a, O=b". */
export function oneLineName(name: string): string {
  return name.split("\n").join(", ");
}
