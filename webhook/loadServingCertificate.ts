/** Reads the webhook's serving certificate and key, and checks that they belong together. */
import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import tls from "node:tls";
import { IamraError } from "../lib/errors.js";

/** A certificate chain and key ready for tls.Server#setSecureContext, with the leaf's expiry. */
export interface ServingCertificate {
  cert: string;
  key: string;
  notAfterMs: number;
  serialNumber: string;
}

/** Loads both files; throws WEBHOOK_TLS_INVALID when one is unreadable, not PEM, or the key does not match. */
export async function loadServingCertificate(certFile: string, keyFile: string): Promise<ServingCertificate> {
  const fail = (why: string, cause?: unknown) =>
    new IamraError({
      code: "WEBHOOK_TLS_INVALID",
      message: `the serving certificate ${certFile} with key ${keyFile} cannot be used (${why})`,
      hint: "mount a PEM certificate (leaf first) and its PEM private key, e.g. tls.crt and tls.key of a TLS Secret",
      step: "serve",
      cause,
    });
  let cert: string;
  let key: string;
  try {
    [cert, key] = await Promise.all([readFile(certFile, "utf8"), readFile(keyFile, "utf8")]);
  } catch (err) {
    throw fail((err as NodeJS.ErrnoException).code ?? (err as Error).message, err);
  }
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(cert);
    tls.createSecureContext({ cert, key }); // throws when the key does not match the certificate
  } catch (err) {
    throw fail((err as Error).message, err);
  }
  return { cert, key, notAfterMs: Date.parse(leaf.validTo), serialNumber: leaf.serialNumber };
}
