/**
 * Certificates made (devstack throwaway PKI and tests) with @peculiar/x509 over WebCrypto: roots, intermediates and
 * leaves with chosen facts.
 */
import { X509Certificate, webcrypto } from "node:crypto";
import { x509 } from "./x509Library.js";

/** A generated certificate: node X509Certificate, its PEM and the key pair it was made for. */
export interface GeneratedCertificate {
  cert: X509Certificate;
  pem: string;
  keys: webcrypto.CryptoKeyPair;
}

/** What to put in a test certificate; omitted issuer means self-signed, omitted keys means a fresh EC P-256 pair. */
export interface CertificateOptions {
  subject: string;
  issuer?: GeneratedCertificate;
  keys?: webcrypto.CryptoKeyPair;
  ca?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  serialHex?: string;
  uriSans?: string[];
  dnsSans?: string[];
  ipSans?: string[];
}

const EC = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };

/** A fresh extractable EC P-256 key pair. */
async function makeKeys(): Promise<webcrypto.CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(EC, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
}

/** Issues a certificate (CA when `ca`, default false) valid 2020-01-01..2040-01-01 unless told otherwise. */
export async function makeCertificate(o: CertificateOptions): Promise<GeneratedCertificate> {
  const keys = o.keys ?? (await makeKeys());
  const signer = o.issuer?.keys ?? keys;
  const names: x509.JsonGeneralNames = [
    ...(o.uriSans ?? []).map((value) => ({ type: "url" as const, value })),
    ...(o.dnsSans ?? []).map((value) => ({ type: "dns" as const, value })),
    ...(o.ipSans ?? []).map((value) => ({ type: "ip" as const, value })),
  ];
  const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(o.ca ?? false, undefined, true)];
  if (o.ca)
    extensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true));
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  const algorithm = signer.privateKey.algorithm.name === "ECDSA" ? EC : { name: "RSASSA-PKCS1-v1_5" };
  const created = await x509.X509CertificateGenerator.create({
    serialNumber: o.serialHex ?? randomSerial(),
    subject: o.subject,
    issuer: o.issuer ? o.issuer.cert.subject.split("\n").join(", ") : o.subject,
    notBefore: o.notBefore ?? new Date("2020-01-01T00:00:00Z"),
    notAfter: o.notAfter ?? new Date("2040-01-01T00:00:00Z"),
    publicKey: keys.publicKey as never,
    signingKey: signer.privateKey as never,
    signingAlgorithm: algorithm,
    extensions,
  });
  const pem = created.toString("pem") + "\n";
  return { cert: new X509Certificate(pem), pem, keys };
}

function randomSerial(): string {
  // Positive (high bit clear) 16-byte serial, like Vault's.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return Buffer.from(bytes).toString("hex");
}
