/** The validity window of a certificate in epoch milliseconds. */
import type { X509Certificate } from "node:crypto";
import { IamraError } from "../errors.js";

/** notBefore/notAfter of `cert` in epoch ms (Node 20 exposes them only as "Nov 22 17:12:15 2026 GMT" strings). */
export function certificateValidity(cert: X509Certificate): { notBeforeMs: number; notAfterMs: number } {
  const notBeforeMs = Date.parse(cert.validFrom);
  const notAfterMs = Date.parse(cert.validTo);
  if (Number.isNaN(notBeforeMs) || Number.isNaN(notAfterMs)) {
    throw new IamraError({
      code: "CERTIFICATE_INVALID",
      message: `Certificate serial ${cert.serialNumber} has unreadable validity dates ("${cert.validFrom}", "${cert.validTo}").`,
      hint: "Re-issue the certificate.",
      step: "check-certificate",
    });
  }
  return { notBeforeMs, notAfterMs };
}
