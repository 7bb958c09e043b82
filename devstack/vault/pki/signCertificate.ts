import { x509, signingAlgorithmFor, type PkiKey } from "./pkiCrypto.js";
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

/**
 * Builds and signs an X.509 certificate with Go-like extensions (KU, EKU, basicConstraints, SKI, AKI, AIA, SAN, CRL
 * DP).
 */
export async function signCertificate(spec: CertificateSpec): Promise<x509.X509Certificate> {
  const extensions: x509.Extension[] = [];
  if (spec.keyUsage) extensions.push(new x509.KeyUsagesExtension(spec.keyUsage, true));
  if (spec.extKeyUsage.length) extensions.push(new x509.ExtendedKeyUsageExtension(spec.extKeyUsage, false));
  extensions.push(new x509.BasicConstraintsExtension(!!spec.ca, spec.ca?.pathLen, true));
  extensions.push(await x509.SubjectKeyIdentifierExtension.create(spec.spki));
  if (spec.signerCert) {
    const ski = spec.signerCert.getExtension(x509.SubjectKeyIdentifierExtension);
    extensions.push(
      ski
        ? new x509.AuthorityKeyIdentifierExtension(ski.keyId)
        : await x509.AuthorityKeyIdentifierExtension.create(spec.signerCert.publicKey),
    );
  }
  if (spec.urls.issuing_certificates.length || spec.urls.ocsp_servers.length) {
    extensions.push(
      new x509.AuthorityInfoAccessExtension({
        caIssuers: spec.urls.issuing_certificates,
        ocsp: spec.urls.ocsp_servers,
      } as never),
    );
  }
  const names: x509.JsonGeneralNames = [
    ...spec.sans.dns.map((value) => ({ type: "dns" as const, value })),
    ...spec.sans.email.map((value) => ({ type: "email" as const, value })),
    ...spec.sans.ip.map((value) => ({ type: "ip" as const, value })),
    ...spec.sans.uri.map((value) => ({ type: "url" as const, value })),
  ];
  if (names.length) extensions.push(new x509.SubjectAlternativeNameExtension(names, spec.subject.length === 0));
  if (spec.urls.crl_distribution_points.length) {
    extensions.push(new x509.CRLDistributionPointsExtension(spec.urls.crl_distribution_points));
  }
  const subjectName = new x509.Name(spec.subject);
  return x509.X509CertificateGenerator.create({
    serialNumber: spec.serialHex,
    subject: subjectName,
    issuer: spec.signerCert ? spec.signerCert.subjectName : subjectName,
    notBefore: spec.notBefore,
    notAfter: spec.notAfter,
    publicKey: spec.spki,
    signingKey: spec.signerKey.privateKey,
    signingAlgorithm: signingAlgorithmFor(spec.signerKey),
    extensions,
  });
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
