/**
 * The DER of an X.509 v3 certificate the PKI engine signs (RFC 5280), built with the project's DER writer and signed
 * with node:crypto: the extensions Vault's certutil sets, in the order the stand-in has always written them.
 */
import { createHash, KeyObject, sign as signWith } from "node:crypto";
import { isIPv4 } from "node:net";
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
  derTlv,
} from "../../../lib/x509/der.js";
import { readDerChildren, readDerValue } from "../../certificates/readDer.js";
import type { PkiKey } from "./pkiCrypto.js";
import type { SanSet } from "./signCertificate.js";

/** One attribute of a subject, in order: a type ("CN", "O", … or a dotted OID) and its value. */
export type NameAttribute = [type: string, value: string];

/** What goes into the certificate; `issuerName` is the issuer's subject DER (absent: self-signed). */
export interface CertificateFields {
  serialHex: string;
  subject: NameAttribute[];
  spki: Buffer;
  issuerName?: Buffer;
  /** The issuer's subject key identifier (absent: self-signed, the subject's own is used). */
  authorityKeyId?: Buffer;
  notBefore: Date;
  notAfter: Date;
  ca?: { pathLen?: number };
  /** KeyUsage bits, bit i = flag 1 << i (digitalSignature = 1, …, decipherOnly = 256). */
  keyUsage: number;
  extKeyUsage: string[];
  sans: SanSet;
  urls: { issuing_certificates: string[]; ocsp_servers: string[]; crl_distribution_points: string[] };
}

const ATTRIBUTE_OIDS: Record<string, string> = {
  CN: "2.5.4.3",
  C: "2.5.4.6",
  L: "2.5.4.7",
  ST: "2.5.4.8",
  O: "2.5.4.10",
  OU: "2.5.4.11",
};

const TRUE = Buffer.from([0x01, 0x01, 0xff]);

/** A Name: one single-attribute RDN per attribute, values as PrintableString when they fit, else UTF8String. */
export function encodeName(attributes: NameAttribute[]): Buffer {
  return derSequence(
    ...attributes.map(([type, value]) => {
      const oid = ATTRIBUTE_OIDS[type] ?? type;
      return derSetOf(derSequence(derOid(oid), derDirectoryString(value)));
    }),
  );
}

/** SHA-1 of the subjectPublicKey bits of an SPKI (RFC 5280 4.2.1.2, method 1), as Vault and Go compute it. */
export function keyIdentifier(spki: Buffer): Buffer {
  const [, bits] = readDerChildren(readDerValue(spki));
  if (!bits || bits.tag !== 0x03) throw new Error("not a SubjectPublicKeyInfo");
  return createHash("sha1").update(bits.contents.subarray(1)).digest();
}

function encodeSerial(hex: string): Buffer {
  let bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex");
  while (bytes.length > 1 && bytes[0] === 0 && bytes[1]! < 0x80) bytes = bytes.subarray(1);
  if (bytes.length === 0 || bytes[0]! >= 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return derTlv(0x02, bytes);
}

/** UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5), to the second. */
function encodeTime(d: Date): Buffer {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, "") + "Z";
  const year = d.getUTCFullYear();
  return year < 2050 && year >= 1950
    ? derTlv(0x17, Buffer.from(digits.slice(2), "latin1"))
    : derTlv(0x18, Buffer.from(digits, "latin1"));
}

/** A named-bit BIT STRING in DER: trailing zero bits dropped, the unused-bit count in the first octet. */
function encodeNamedBits(flags: number): Buffer {
  const bitCount = 32 - Math.clz32(flags);
  const bytes = Buffer.alloc(Math.ceil(bitCount / 8));
  for (let i = 0; i < bitCount; i++) if (flags & (1 << i)) bytes[i >> 3]! |= 0x80 >> (i & 7);
  return derTlv(0x03, Buffer.from([bytes.length * 8 - bitCount]), bytes);
}

function ipBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split(".").map(Number));
  const [head = "", tail] = ip.split("::");
  const groups = (part: string) => (part ? part.split(":") : []);
  const expand = (parts: string[]) =>
    parts.flatMap((g) => (g.includes(".") ? [...ipBytes(g)] : [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
  const left = expand(groups(head));
  const right = tail === undefined ? [] : expand(groups(tail));
  return Buffer.from([...left, ...new Array<number>(16 - left.length - right.length).fill(0), ...right]);
}

function generalNames(sans: SanSet): Buffer[] {
  return [
    ...sans.dns.map((v) => derContext(2, false, Buffer.from(v, "latin1"))),
    ...sans.email.map((v) => derContext(1, false, Buffer.from(v, "latin1"))),
    ...sans.ip.map((v) => derContext(7, false, ipBytes(v))),
    ...sans.uri.map((v) => derContext(6, false, Buffer.from(v, "latin1"))),
  ];
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return derSequence(derOid(oid), ...(critical ? [TRUE] : []), derOctetString(value));
}

function extensions(f: CertificateFields): Buffer[] {
  const out: Buffer[] = [];
  if (f.keyUsage) out.push(extension("2.5.29.15", true, encodeNamedBits(f.keyUsage)));
  if (f.extKeyUsage.length) out.push(extension("2.5.29.37", false, derSequence(...f.extKeyUsage.map(derOid))));
  const pathLen = f.ca?.pathLen;
  const bc = derSequence(...(f.ca ? [TRUE] : []), ...(f.ca && pathLen !== undefined ? [derInteger(pathLen)] : []));
  out.push(extension("2.5.29.19", true, bc));
  const ownKeyId = keyIdentifier(f.spki);
  out.push(extension("2.5.29.14", false, derOctetString(ownKeyId)));
  if (f.issuerName) {
    out.push(extension("2.5.29.35", false, derSequence(derContext(0, false, f.authorityKeyId ?? ownKeyId))));
  }
  const { issuing_certificates: issuers, ocsp_servers: ocsp, crl_distribution_points: crls } = f.urls;
  if (issuers.length || ocsp.length) {
    const access = (oid: string, url: string) =>
      derSequence(derOid(oid), derContext(6, false, Buffer.from(url, "latin1")));
    const aia = [
      ...ocsp.map((u) => access("1.3.6.1.5.5.7.48.1", u)),
      ...issuers.map((u) => access("1.3.6.1.5.5.7.48.2", u)),
    ];
    out.push(extension("1.3.6.1.5.5.7.1.1", false, derSequence(...aia)));
  }
  const names = generalNames(f.sans);
  if (names.length) out.push(extension("2.5.29.17", f.subject.length === 0, derSequence(...names)));
  if (crls.length) {
    const dps = crls.map((u) =>
      derSequence(derContext(0, true, derContext(0, true, derContext(6, false, Buffer.from(u, "latin1"))))),
    );
    out.push(extension("2.5.29.31", false, derSequence(...dps)));
  }
  return out;
}

const EC_SIGNATURE: Record<number, [oid: string, hash: string]> = {
  224: ["1.2.840.10045.4.3.2", "sha256"],
  256: ["1.2.840.10045.4.3.2", "sha256"],
  384: ["1.2.840.10045.4.3.3", "sha384"],
  521: ["1.2.840.10045.4.3.4", "sha512"],
};

const signingKeys = new WeakMap<object, KeyObject>();

/** Builds the TBSCertificate, signs it with `signer` (RSA: SHA-256; ECDSA: the curve's hash) and returns the DER. */
export function encodeCertificate(f: CertificateFields, signer: PkiKey): Buffer {
  const [algOid, hash] = signer.type === "rsa" ? ["1.2.840.113549.1.1.11", "sha256"] : EC_SIGNATURE[signer.bits]!;
  const algorithm = derSequence(derOid(algOid), ...(signer.type === "rsa" ? [derNull()] : []));
  const subject = encodeName(f.subject);
  const tbs = derSequence(
    derContext(0, true, derInteger(2)),
    encodeSerial(f.serialHex),
    algorithm,
    f.issuerName ?? subject,
    derSequence(encodeTime(f.notBefore), encodeTime(f.notAfter)),
    subject,
    f.spki,
    derContext(3, true, derSequence(...extensions(f))),
  );
  let key = signingKeys.get(signer.privateKey);
  if (!key) {
    key = KeyObject.from(signer.privateKey);
    signingKeys.set(signer.privateKey, key);
  }
  return derSequence(tbs, algorithm, derBitString(signWith(hash, tbs, key)));
}
