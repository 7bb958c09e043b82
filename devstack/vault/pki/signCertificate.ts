import { x509, type PkiKey } from "./pkiCrypto.js";
import { derToPem } from "../../../lib/x509/parseCertificates.js";
import { readDerChildren, readDerValue } from "../../certificates/readDer.js";
import { encodeCertificate, keyIdentifier, type NameAttribute } from "./encodeCertificate.js";
import type { PkiUrls } from "./PkiState.js";

/** Subject Alternative Names by kind. */
export interface SanSet {
  dns: string[];
  email: string[];
  ip: string[];
  uri: string[];
}

/** Everything that goes into one certificate the PKI engine signs. */
export interface CertificateSpec {
  serialHex: string;
  subject: x509.JsonName;
  spki: ArrayBuffer | Buffer;
  /** The signing key and, unless self-signed, the issuer certificate. */
  signerKey: PkiKey;
  signerCert?: x509.X509Certificate;
  notBefore: Date;
  notAfter: Date;
  /** Set for CA certificates; pathLen undefined means no constraint. */
  ca?: { pathLen?: number };
  keyUsage: number;
  extKeyUsage: string[];
  sans: SanSet;
  urls: PkiUrls;
}

const KEY_USAGE: Record<string, number> = {
  digitalsignature: x509.KeyUsageFlags.digitalSignature,
  contentcommitment: x509.KeyUsageFlags.nonRepudiation,
  keyencipherment: x509.KeyUsageFlags.keyEncipherment,
  dataencipherment: x509.KeyUsageFlags.dataEncipherment,
  keyagreement: x509.KeyUsageFlags.keyAgreement,
  certsign: x509.KeyUsageFlags.keyCertSign,
  crlsign: x509.KeyUsageFlags.cRLSign,
  encipheronly: x509.KeyUsageFlags.encipherOnly,
  decipheronly: x509.KeyUsageFlags.decipherOnly,
};

const EXT_KEY_USAGE: Record<string, string> = {
  any: "2.5.29.37.0",
  serverauth: x509.ExtendedKeyUsage.serverAuth,
  clientauth: x509.ExtendedKeyUsage.clientAuth,
  codesigning: x509.ExtendedKeyUsage.codeSigning,
  emailprotection: x509.ExtendedKeyUsage.emailProtection,
  timestamping: x509.ExtendedKeyUsage.timeStamping,
  ocspsigning: x509.ExtendedKeyUsage.ocspSigning,
  ipsecendsystem: "1.3.6.1.5.5.7.3.5",
  ipsectunnel: "1.3.6.1.5.5.7.3.6",
  ipsecuser: "1.3.6.1.5.5.7.3.7",
};

/** Key usage flags from Vault's case-insensitive names (unknown names are ignored, as Vault does). */
export function keyUsageFlags(names: string[]): number {
  return names.reduce((acc, n) => acc | (KEY_USAGE[n.toLowerCase().replace(/[^a-z]/g, "")] ?? 0), 0);
}

/** EKU OIDs from a role: the flags, ext_key_usage names and ext_key_usage_oids (ParseExtKeyUsagesFromRole). */
export function extKeyUsageOids(role: Record<string, unknown>): string[] {
  const oids: string[] = [];
  if (role["server_flag"]) oids.push(EXT_KEY_USAGE["serverauth"]!);
  if (role["client_flag"]) oids.push(EXT_KEY_USAGE["clientauth"]!);
  if (role["code_signing_flag"]) oids.push(EXT_KEY_USAGE["codesigning"]!);
  if (role["email_protection_flag"]) oids.push(EXT_KEY_USAGE["emailprotection"]!);
  for (const name of (role["ext_key_usage"] as string[] | undefined) ?? []) {
    const oid = EXT_KEY_USAGE[name.toLowerCase().replace(/[^a-z]/g, "")];
    if (oid) oids.push(oid);
  }
  oids.push(...((role["ext_key_usage_oids"] as string[] | undefined) ?? []));
  return [...new Set(oids)];
}

/** A certificate the PKI engine signed: its DER and PEM, and the facts the API responses carry. */
export interface SignedCertificate {
  rawData: Buffer;
  /** The serial number as hex, without the sign octet DER adds before a high first byte. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  toString(format: "pem"): string;
}

/** What the stand-in needs of an issuer certificate to sign under it: its subject DER and key identifier. */
interface IssuerFacts {
  name: Buffer;
  keyId: Buffer;
}

const issuerFacts = new WeakMap<x509.X509Certificate, IssuerFacts>();

/** The issuer's subject as it is encoded in its certificate, and its subject key identifier (or its key's). */
function factsOf(cert: x509.X509Certificate): IssuerFacts {
  let facts = issuerFacts.get(cert);
  if (!facts) {
    const [tbs] = readDerChildren(readDerValue(Buffer.from(cert.rawData)));
    const fields = readDerChildren(tbs!);
    const at = fields[0]!.tag === 0xa0 ? 1 : 0; // [0] version
    const name = fields[at + 4]!.bytes;
    const spki = fields[at + 5]!.bytes;
    const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
    facts = { name, keyId: ski ? Buffer.from(ski.keyId, "hex") : keyIdentifier(spki) };
    issuerFacts.set(cert, facts);
  }
  return facts;
}

/**
 * Builds and signs an X.509 certificate with Go-like extensions (KU, EKU, basicConstraints, SKI, AKI, AIA, SAN, CRL
 * DP): encodeCertificate, with the issuer's subject and key identifier read from its certificate.
 */
export async function signCertificate(spec: CertificateSpec): Promise<SignedCertificate> {
  const issuer = spec.signerCert ? factsOf(spec.signerCert) : undefined;
  const subject: NameAttribute[] = spec.subject.flatMap((rdn) =>
    Object.entries(rdn).flatMap(([type, values]) => values.map((v): NameAttribute => [type, v])),
  );
  const der = encodeCertificate(
    {
      serialHex: spec.serialHex,
      subject,
      spki: Buffer.from(spec.spki as ArrayBuffer),
      issuerName: issuer?.name,
      authorityKeyId: issuer?.keyId,
      notBefore: spec.notBefore,
      notAfter: spec.notAfter,
      ca: spec.ca,
      keyUsage: spec.keyUsage,
      extKeyUsage: spec.extKeyUsage,
      sans: spec.sans,
      urls: spec.urls,
    },
    spec.signerKey,
  );
  const serial = readDerChildren(readDerChildren(readDerValue(der))[0]!)[1]!.contents;
  return {
    rawData: der,
    serialNumber: (serial[0] === 0 && serial.length > 1 ? serial.subarray(1) : serial).toString("hex"),
    notBefore: spec.notBefore,
    notAfter: spec.notAfter,
    toString: () => derToPem(der),
  };
}

/** A subject in Go's pkix.Name order from Vault's subject fields. */
export function subjectFrom(cn: string, f: Record<string, unknown>): x509.JsonName {
  const attrs: Array<[string, unknown]> = [
    ["C", f["country"]],
    ["ST", f["province"]],
    ["L", f["locality"]],
    ["2.5.4.9", f["street_address"]],
    ["2.5.4.17", f["postal_code"]],
    ["O", f["organization"]],
    ["OU", f["ou"]],
  ];
  const name: x509.JsonName = [];
  for (const [key, values] of attrs) {
    for (const v of (values as string[] | undefined) ?? []) name.push({ [key]: [v] });
  }
  if (cn) name.push({ CN: [cn] });
  if (f["serial_number"]) name.push({ "2.5.4.5": [String(f["serial_number"])] });
  return name;
}
