import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { VaultHttpError } from "../http/VaultHttpError.js";
import { pemToDer } from "../../../lib/x509/parseCertificates.js";
import { readDerChildren, readDerValue, type DerValue } from "../../certificates/readDer.js";
import type { SanSet } from "./signCertificate.js";

/** A parsed, signature-checked CSR: the subject CN, SANs, public key and whether it asked for basic constraints. */
export interface ParsedCsr {
  cn: string;
  sans: SanSet;
  /** The SubjectPublicKeyInfo DER. */
  spki: Buffer;
  hasBasicConstraints: boolean;
}

/** Signature algorithms a CSR may use here: hash for node:crypto's verify (null: the key's own, Ed25519). */
const SIGNATURE_HASHES: Record<string, string | null> = {
  "1.2.840.113549.1.1.5": "sha1",
  "1.2.840.113549.1.1.11": "sha256",
  "1.2.840.113549.1.1.12": "sha384",
  "1.2.840.113549.1.1.13": "sha512",
  "1.2.840.10045.4.3.2": "sha256",
  "1.2.840.10045.4.3.3": "sha384",
  "1.2.840.10045.4.3.4": "sha512",
  "1.3.101.112": null,
};

/** Dotted form of an OBJECT IDENTIFIER's contents. */
function oidText(contents: Buffer): string {
  const arcs: number[] = [];
  let n = 0;
  for (const byte of contents) {
    n = n * 128 + (byte & 0x7f);
    if (byte & 0x80) continue;
    if (arcs.length === 0) arcs.push(n < 80 ? Math.floor(n / 40) : 2, n < 80 ? n % 40 : n - 80);
    else arcs.push(n);
    n = 0;
  }
  return arcs.join(".");
}

/** A directory string's text: UTF8String, PrintableString, IA5String, TeletexString (as Latin-1) or BMPString. */
function stringText(v: DerValue): string {
  if (v.tag === 0x1e) return Buffer.from(v.contents).swap16().toString("utf16le");
  return v.contents.toString(v.tag === 0x0c ? "utf8" : "latin1");
}

/** An IP address SAN as text: dotted IPv4, or IPv6 with the longest run of two or more zero groups as "::". */
function ipText(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join(".");
  const groups = Array.from({ length: bytes.length / 2 }, (_, i) => bytes.readUInt16BE(i * 2).toString(16));
  let best = { at: -1, len: 1 };
  for (let i = 0; i < groups.length;) {
    let j = i;
    while (j < groups.length && groups[j] === "0") j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j > i ? j : i + 1;
  }
  if (best.at < 0) return groups.join(":");
  return `${groups.slice(0, best.at).join(":")}::${groups.slice(best.at + best.len).join(":")}`;
}

function readSans(extnValue: Buffer, sans: SanSet): void {
  for (const name of readDerChildren(readDerValue(extnValue))) {
    const text = name.contents.toString("latin1");
    if (name.tag === 0x82) sans.dns.push(text);
    else if (name.tag === 0x81) sans.email.push(text);
    else if (name.tag === 0x86) sans.uri.push(text);
    else if (name.tag === 0x87) sans.ip.push(ipText(name.contents));
  }
}

/** The requested extensions (the extensionRequest attribute) as [OID, extnValue] pairs. */
function requestedExtensions(attributes: DerValue | undefined): Array<[string, Buffer]> {
  const out: Array<[string, Buffer]> = [];
  for (const attribute of attributes ? readDerChildren(attributes) : []) {
    const [type, values] = readDerChildren(attribute);
    if (!type || !values || oidText(type.contents) !== "1.2.840.113549.1.9.14") continue;
    for (const extensions of readDerChildren(values)) {
      for (const ext of readDerChildren(extensions)) {
        const parts = readDerChildren(ext);
        out.push([oidText(parts[0]!.contents), parts[parts.length - 1]!.contents]);
      }
    }
  }
  return out;
}

/** The first CN of a Name. */
function commonName(name: DerValue): string {
  for (const rdn of readDerChildren(name)) {
    for (const atv of readDerChildren(rdn)) {
      const [type, value] = readDerChildren(atv);
      if (type && value && oidText(type.contents) === "2.5.4.3") return stringText(value);
    }
  }
  return "";
}

/** Whether the CSR's signature checks out with its own key (false for algorithms not handled here). */
function signatureValid(info: DerValue, algorithm: DerValue, signature: DerValue, key: KeyObject): boolean {
  const oid = readDerChildren(algorithm)[0];
  const hash = oid ? SIGNATURE_HASHES[oidText(oid.contents)] : undefined;
  if (hash === undefined || signature.tag !== 0x03) return false;
  return verify(hash, info.bytes, key, signature.contents.subarray(1));
}

/** Decodes and verifies a PEM CSR with Vault's error strings (sign_cert.go, certutil.SignCertificate). */
export function parseCsr(pem: string): ParsedCsr {
  if (!/-----BEGIN (NEW )?CERTIFICATE REQUEST-----/.test(pem)) throw VaultHttpError.badRequest("csr contains no data");
  let parts: { info: DerValue; algorithm: DerValue; signature: DerValue; fields: DerValue[]; key: KeyObject };
  try {
    const label = /-----BEGIN NEW CERTIFICATE REQUEST-----/.test(pem)
      ? "NEW CERTIFICATE REQUEST"
      : "CERTIFICATE REQUEST";
    const [info, algorithm, signature] = readDerChildren(readDerValue(pemToDer(pem.trim(), label)));
    if (!info || !algorithm || !signature) throw new Error("a CertificationRequest has three parts");
    const fields = readDerChildren(info);
    const key = createPublicKey({ key: fields[2]!.bytes, format: "der", type: "spki" });
    parts = { info, algorithm, signature, fields, key };
  } catch (err) {
    throw VaultHttpError.badRequest(`certificate request could not be parsed: ${(err as Error).message}`);
  }
  let ok: boolean;
  try {
    ok = signatureValid(parts.info, parts.algorithm, parts.signature, parts.key);
  } catch {
    ok = false; // an unverifiable signature is reported the same way as a wrong one
  }
  if (!ok) throw VaultHttpError.badRequest("request signature invalid");
  const [, subject, spki, attributes] = parts.fields;
  const sans: SanSet = { dns: [], email: [], ip: [], uri: [] };
  let hasBasicConstraints = false;
  for (const [oid, value] of requestedExtensions(attributes?.tag === 0xa0 ? attributes : undefined)) {
    if (oid === "2.5.29.19") hasBasicConstraints = true;
    if (oid === "2.5.29.17") readSans(value, sans);
  }
  return { cn: commonName(subject!), sans, spki: Buffer.from(spki!.bytes), hasBasicConstraints };
}
