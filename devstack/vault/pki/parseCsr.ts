import { VaultHttpError } from "../http/VaultHttpError.js";
import { x509 } from "./pkiCrypto.js";
import type { SanSet } from "./signCertificate.js";

/** A parsed, signature-checked CSR: the subject CN, SANs, public key and whether it asked for basic constraints. */
export interface ParsedCsr {
  csr: x509.Pkcs10CertificateRequest;
  cn: string;
  sans: SanSet;
  spki: ArrayBuffer;
  hasBasicConstraints: boolean;
}

/** Decodes and verifies a PEM CSR with Vault's error strings (sign_cert.go, certutil.SignCertificate). */
export async function parseCsr(pem: string): Promise<ParsedCsr> {
  if (!/-----BEGIN (NEW )?CERTIFICATE REQUEST-----/.test(pem)) throw VaultHttpError.badRequest("csr contains no data");
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(pem.trim());
  } catch (err) {
    throw VaultHttpError.badRequest(`certificate request could not be parsed: ${(err as Error).message}`);
  }
  let ok: boolean;
  try {
    ok = await csr.verify();
  } catch {
    ok = false; // an unverifiable signature is reported the same way as a wrong one
  }
  if (!ok) throw VaultHttpError.badRequest("request signature invalid");
  const sans: SanSet = { dns: [], email: [], ip: [], uri: [] };
  let hasBasicConstraints = false;
  for (const ext of csr.extensions) {
    if (ext.type === "2.5.29.19") hasBasicConstraints = true;
    if (ext.type !== "2.5.29.17") continue;
    const san = new x509.SubjectAlternativeNameExtension(ext.rawData);
    for (const item of san.names.items) {
      if (item.type === "dns") sans.dns.push(item.value);
      else if (item.type === "email") sans.email.push(item.value);
      else if (item.type === "ip") sans.ip.push(item.value);
      else if (item.type === "url") sans.uri.push(item.value);
    }
  }
  const cn = csr.subjectName.getField("CN")[0] ?? "";
  return { csr, cn, sans, spki: csr.publicKey.rawData, hasBasicConstraints };
}
