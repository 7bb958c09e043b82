/**
 * PKCS#10 certificate signing requests (RFC 2986) for Vault's pki/sign, encoded with a small DER writer and signed
 * with node:crypto. Not @peculiar/x509: loading it (and the reflect-metadata polyfill it needs) costs about twice the
 * whole start-up budget of `init`, for one fixed structure that is a few dozen lines to write.
 */
import { createPublicKey, sign } from "node:crypto";
import { IamraError } from "../errors.js";
import {
  derBitString,
  derContext,
  derDirectoryString,
  derInteger,
  derNull,
  derOctetString,
  derOid,
  derSequence,
  derSetOf,
} from "./der.js";
import type { GeneratedKeyPair } from "./generateKeyPair.js";
import { derToPem } from "./parseCertificates.js";
import type { SigningKey } from "./signingKey.js";

/** Input of createCsr: the key pair to sign with, the subject CN and optional URI/DNS subjectAltNames to request. */
export interface CreateCsrOptions {
  keyPair: GeneratedKeyPair;
  commonName: string;
  uriSans?: string[];
  dnsSans?: string[];
}

const OID = {
  commonName: "2.5.4.3",
  subjectAltName: "2.5.29.17",
  extensionRequest: "1.2.840.113549.1.9.14",
  sha256WithRSAEncryption: "1.2.840.113549.1.1.11",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  ecdsaWithSha384: "1.2.840.10045.4.3.3",
  ecdsaWithSha512: "1.2.840.10045.4.3.4",
} as const;

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
  const key = opts.keyPair.signingKey;
  const info = derSequence(
    derInteger(0), // version v1
    // subject: one RDN with one attribute, the CN exactly as given (no RFC 4514 parsing, so commas stay commas)
    derSequence(derSetOf(derSequence(derOid(OID.commonName), derDirectoryString(opts.commonName)))),
    createPublicKey(key.keyObject).export({ type: "spki", format: "der" }),
    derContext(0, true, ...extensionRequest(uriSans, dnsSans)), // attributes (present even when empty)
  );
  const { hash, algorithm } = signatureAlgorithm(key);
  const signature = sign(hash, info, { key: key.keyObject, dsaEncoding: "der" });
  return derToPem(derSequence(info, algorithm, derBitString(signature)), "CERTIFICATE REQUEST");
}

/** The PKCS#9 extensionRequest attribute with a non-critical subjectAltName (URI then DNS names); none without SANs. */
function extensionRequest(uriSans: string[], dnsSans: string[]): Buffer[] {
  if (uriSans.length + dnsSans.length === 0) return [];
  const generalNames = derSequence(
    ...uriSans.map((uri) => derContext(6, false, Buffer.from(uri, "ascii"))), // uniformResourceIdentifier [6] IA5String
    ...dnsSans.map((dns) => derContext(2, false, Buffer.from(dns, "ascii"))), // dNSName [2] IA5String
  );
  const extensions = derSequence(derSequence(derOid(OID.subjectAltName), derOctetString(generalNames)));
  return [derSequence(derOid(OID.extensionRequest), derSetOf(extensions))];
}

/** Digest and AlgorithmIdentifier for the key: PKCS#1 v1.5 with SHA-256 for RSA, ECDSA with the curve's hash size. */
function signatureAlgorithm(key: SigningKey): { hash: string; algorithm: Buffer } {
  if (key.type === "rsa") {
    return { hash: "sha256", algorithm: derSequence(derOid(OID.sha256WithRSAEncryption), derNull()) };
  }
  // RFC 5758 3.2: the ECDSA algorithm identifiers have no parameters
  if (key.curve === "P-256") return { hash: "sha256", algorithm: derSequence(derOid(OID.ecdsaWithSha256)) };
  if (key.curve === "P-384") return { hash: "sha384", algorithm: derSequence(derOid(OID.ecdsaWithSha384)) };
  return { hash: "sha512", algorithm: derSequence(derOid(OID.ecdsaWithSha512)) };
}
