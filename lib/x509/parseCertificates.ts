/** PEM/DER certificate parsing with node:crypto X509Certificate, following the official helper's file rules. */
import { X509Certificate } from "node:crypto";
import type { ErrorCode } from "../errorCodes.js";
import { IamraError } from "../errors.js";
import { readPemBlocks } from "./readPemBlocks.js";

/** Parses the first CERTIFICATE block of `pem` (other blocks, e.g. a key in a combo file, are skipped). */
export function parseCertificatePem(pem: string | Buffer, source = "certificate"): X509Certificate {
  const block = readPemBlocks(pem).find((b) => b.label === "CERTIFICATE");
  if (!block) {
    throw new IamraError({
      code: "CERTIFICATE_MISSING",
      message: `No PEM "CERTIFICATE" block found in ${source}.`,
      hint: "Expected a PEM file containing -----BEGIN CERTIFICATE-----.",
      step: "load-certificate",
      details: { source },
    });
  }
  return parseDer(block.der, "CERTIFICATE_INVALID", `the certificate in ${source}`, source);
}

/**
 * Parses a chain bundle: every CERTIFICATE block in file order; any other block type → CHAIN_INVALID. No blocks → [].
 * Blocks whose DER bytes `skip` accepts (e.g. copies of certificates parsed already) are left out without a parse.
 */
export function parseCertificateBundle(
  pem: string | Buffer,
  source = "certificate chain",
  skip?: (der: Buffer) => boolean,
): X509Certificate[] {
  const out: X509Certificate[] = [];
  readPemBlocks(pem).forEach((block, i) => {
    if (block.label !== "CERTIFICATE") {
      throw new IamraError({
        code: "CHAIN_INVALID",
        message: `Invalid certificate chain in ${source}: block ${i + 1} is "${block.label}", only CERTIFICATE blocks are allowed.`,
        hint: "Put only the intermediate CA certificates (PEM) in the chain file; keep keys elsewhere.",
        step: "load-certificate",
        details: { source, block: i + 1, label: block.label },
      });
    }
    if (skip?.(block.der)) return;
    out.push(parseDer(block.der, "CHAIN_INVALID", `certificate ${i + 1} of ${source}`, source));
  });
  return out;
}

/** The DER bytes of the first PEM block labelled `label`; PEM_BLOCK_MISSING when there is none. */
export function pemToDer(pem: string | Buffer, label = "CERTIFICATE"): Buffer {
  const block = readPemBlocks(pem).find((b) => b.label === label);
  if (!block || block.der.length === 0) {
    throw new IamraError({
      code: "PEM_BLOCK_MISSING",
      message: `No valid PEM "${label}" block found.`,
      hint: `Expected -----BEGIN ${label}----- with a base64 body.`,
    });
  }
  return block.der;
}

/** PEM text for DER bytes: base64 wrapped at 64 columns, trailing newline (RFC 7468). */
export function derToPem(der: Uint8Array, label = "CERTIFICATE"): string {
  const b64 = Buffer.from(der).toString("base64");
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}${lines.length ? "\n" : ""}-----END ${label}-----\n`;
}

/**
 * The serial number as a decimal big integer without leading zeros (Go's big.Int String(); the SigV4-X509 Credential).
 */
export function serialToDecimal(cert: X509Certificate): string {
  return BigInt(`0x${cert.serialNumber}`).toString(10);
}

function parseDer(der: Buffer, code: ErrorCode, what: string, source: string): X509Certificate {
  try {
    if (der.length === 0) throw new Error("PEM body is not valid base64");
    return new X509Certificate(der);
  } catch (cause) {
    throw new IamraError({
      code,
      message: `Could not parse ${what} as an X.509 certificate.`,
      hint: "The file is damaged or is not a certificate; re-export it in PEM form.",
      step: "load-certificate",
      details: { source },
      cause,
    });
  }
}
