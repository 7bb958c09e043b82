/** PKCS#10 certificate signing requests for Vault's pki/sign, made with @peculiar/x509 over WebCrypto. */
import { IamraError } from "../errors.js";
import type { GeneratedKeyPair } from "./generateKeyPair.js";
import { x509 } from "./x509Library.js";

/** Input of createCsr: the key pair to sign with, the subject CN and optional URI/DNS subjectAltNames to request. */
export interface CreateCsrOptions {
  keyPair: GeneratedKeyPair;
  commonName: string;
  uriSans?: string[];
  dnsSans?: string[];
}

type CsrParams = Parameters<typeof x509.Pkcs10CertificateRequestGenerator.create>[0];

const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[\x21-\x7e]+$/;
const DNS = /^(\*\.)?[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$/;

/** A PEM "CERTIFICATE REQUEST" for CN=commonName with a subjectAltName extension request when SANs are given. */
export async function createCsr(opts: CreateCsrOptions): Promise<string> {
  const uriSans = opts.uriSans ?? [];
  const dnsSans = opts.dnsSans ?? [];
  const problems = [
    ...(opts.commonName.trim() === "" ? ["commonName is empty"] : []),
    ...uriSans.filter((u) => !URI.test(u)).map((u) => `URI SAN ${JSON.stringify(u)} is not an ASCII URI`),
    ...dnsSans.filter((d) => !DNS.test(d)).map((d) => `DNS SAN ${JSON.stringify(d)} is not a DNS name`),
  ];
  if (problems.length > 0) {
    throw new IamraError({
      code: "CSR_INVALID",
      message: `Cannot build a certificate request: ${problems.join("; ")}.`,
      hint: "Check the common name and SAN settings.",
      step: "create-csr",
      details: { commonName: opts.commonName, uriSans, dnsSans },
    });
  }
  const names: x509.JsonGeneralNames = [
    ...uriSans.map((value) => ({ type: "url" as const, value })),
    ...dnsSans.map((value) => ({ type: "dns" as const, value })),
  ];
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    // JSON form: the CN is encoded as-is, no RFC 4514 escaping pitfalls with commas or plus signs.
    name: [{ CN: [opts.commonName] }],
    keys: opts.keyPair.cryptoKeyPair as unknown as CsrParams["keys"],
    signingAlgorithm: signingAlgorithm(opts.keyPair),
    extensions: names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names, false)] : [],
  });
  return csr.toString("pem") + "\n";
}

function signingAlgorithm(keyPair: GeneratedKeyPair): { name: string; hash?: string } {
  const key = keyPair.signingKey;
  if (key.type === "rsa") return { name: "RSASSA-PKCS1-v1_5" };
  return { name: "ECDSA", hash: key.curve === "P-256" ? "SHA-256" : key.curve === "P-384" ? "SHA-384" : "SHA-512" };
}
