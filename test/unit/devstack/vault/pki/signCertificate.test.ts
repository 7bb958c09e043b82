import { expect } from "chai";
import { X509Certificate } from "node:crypto";
import { generatePkiKey, x509, type PkiKey } from "../../../../../devstack/vault/pki/pkiCrypto.js";
import {
  signCertificate,
  subjectFrom,
  type CertificateSpec,
} from "../../../../../devstack/vault/pki/signCertificate.js";
import { readDerChildren, readDerValue } from "../../../../../devstack/certificates/readDer.js";

const NO_URLS = {
  issuing_certificates: [],
  ocsp_servers: [],
  crl_distribution_points: [],
  enable_templating: false,
  set: false,
};
const URLS = {
  issuing_certificates: ["http://127.0.0.1:8200/v1/pki/ca", "http://ca.example/ca.der"],
  ocsp_servers: ["http://ocsp.example"],
  crl_distribution_points: ["http://127.0.0.1:8200/v1/pki/crl", "http://crl.example/x.crl"],
  enable_templating: false,
  set: true,
};
const NO_SANS = { dns: [], email: [], ip: [], uri: [] };

/** The same certificate built with @peculiar/x509 (the stand-in's encoder until it had its own): the reference. */
async function reference(spec: CertificateSpec): Promise<Buffer> {
  const ext: x509.Extension[] = [];
  if (spec.keyUsage) ext.push(new x509.KeyUsagesExtension(spec.keyUsage, true));
  if (spec.extKeyUsage.length) ext.push(new x509.ExtendedKeyUsageExtension(spec.extKeyUsage, false));
  ext.push(new x509.BasicConstraintsExtension(!!spec.ca, spec.ca?.pathLen, true));
  ext.push(await x509.SubjectKeyIdentifierExtension.create(spec.spki));
  if (spec.signerCert) {
    const ski = spec.signerCert.getExtension(x509.SubjectKeyIdentifierExtension)!;
    ext.push(new x509.AuthorityKeyIdentifierExtension(ski.keyId));
  }
  const { issuing_certificates: caIssuers, ocsp_servers: ocsp, crl_distribution_points: crl } = spec.urls;
  if (caIssuers.length || ocsp.length) ext.push(new x509.AuthorityInfoAccessExtension({ caIssuers, ocsp } as never));
  const names: x509.JsonGeneralNames = [
    ...spec.sans.dns.map((value) => ({ type: "dns" as const, value })),
    ...spec.sans.email.map((value) => ({ type: "email" as const, value })),
    ...spec.sans.ip.map((value) => ({ type: "ip" as const, value })),
    ...spec.sans.uri.map((value) => ({ type: "url" as const, value })),
  ];
  if (names.length) ext.push(new x509.SubjectAlternativeNameExtension(names, spec.subject.length === 0));
  if (crl.length) ext.push(new x509.CRLDistributionPointsExtension(crl));
  const subject = new x509.Name(spec.subject);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: spec.serialHex,
    subject,
    issuer: spec.signerCert ? spec.signerCert.subjectName : subject,
    notBefore: spec.notBefore,
    notAfter: spec.notAfter,
    publicKey: spec.spki,
    signingKey: spec.signerKey.privateKey,
    signingAlgorithm:
      spec.signerKey.type === "rsa"
        ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }
        : { name: "ECDSA", hash: spec.signerKey.bits === 384 ? "SHA-384" : "SHA-256" },
    extensions: ext,
  });
  return Buffer.from(cert.rawData);
}

/** TBSCertificate and signature algorithm of a certificate (the signature itself is randomized for ECDSA). */
function signedPart(der: Buffer): Buffer[] {
  const [tbs, alg] = readDerChildren(readDerValue(der));
  return [tbs!.bytes, alg!.bytes];
}

describe("signCertificate", function () {
  this.timeout(20_000);
  let root: { key: PkiKey; cert: x509.X509Certificate };
  let rsa: { key: PkiKey; cert: x509.X509Certificate };
  let leafKey: PkiKey;

  const spec = (over: Partial<CertificateSpec>): CertificateSpec => ({
    serialHex: "3f01020304050607",
    subject: subjectFrom("app.demo", {}),
    spki: leafKey.spki,
    signerKey: root.key,
    signerCert: root.cert,
    notBefore: new Date("2026-01-01T00:00:00Z"),
    notAfter: new Date("2026-01-01T01:00:00Z"),
    keyUsage: 1 | 4 | 16,
    extKeyUsage: ["1.3.6.1.5.5.7.3.2"],
    sans: { ...NO_SANS, uri: ["spiffe://cluster.local/ns/demo/sa/app"] },
    urls: NO_URLS,
    ...over,
  });

  before(async () => {
    const key = await generatePkiKey("root", "ec", 256);
    const self = (k: PkiKey, cn: string) => ({
      serialHex: "01",
      subject: subjectFrom(cn, {}),
      spki: k.spki,
      signerKey: k,
      notBefore: new Date("2025-01-01T00:00:00Z"),
      notAfter: new Date("2055-01-01T00:00:00Z"),
      ca: {},
      keyUsage: 32 | 64,
      extKeyUsage: [],
      sans: NO_SANS,
      urls: NO_URLS,
    });
    root = { key, cert: new x509.X509Certificate((await signCertificate(self(key, "Root"))).rawData) };
    const rsaKey = await generatePkiKey("rsa", "rsa", 2048);
    rsa = { key: rsaKey, cert: new x509.X509Certificate((await signCertificate(self(rsaKey, "RSA Root"))).rawData) };
    leafKey = await generatePkiKey("leaf", "ec", 256);
  });

  const cases: Array<[string, () => Partial<CertificateSpec>]> = [
    ["an EC-signed leaf with a URI SAN and client-auth EKU", () => ({})],
    [
      "a leaf with a full subject, every SAN kind and AIA/CRL URLs",
      () => ({
        subject: subjectFrom("app.demo", {
          country: ["DE"],
          province: ["Bayern"],
          locality: ["München"],
          street_address: ["Main St 1"],
          postal_code: ["80331"],
          organization: ["Example Inc", "Second Org"],
          ou: ["ops"],
          serial_number: "42",
        }),
        sans: {
          dns: ["app.demo.svc", "*.example.com"],
          email: ["ops@example.com"],
          ip: ["127.0.0.1", "::1", "2001:db8::8a2e:370:7334", "fe80::1:2:3:4"],
          uri: ["spiffe://cluster.local/ns/demo/sa/app"],
        },
        urls: URLS,
        keyUsage: 1 | 2 | 4 | 8 | 16 | 32 | 64 | 128 | 256,
        extKeyUsage: ["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2", "2.5.29.37.0"],
      }),
    ],
    ["a leaf without subject (critical SAN) nor key usage", () => ({ subject: [], keyUsage: 0, extKeyUsage: [] })],
    ["an intermediate with pathLen 0", () => ({ ca: { pathLen: 0 }, keyUsage: 1 | 32 | 64, extKeyUsage: [] })],
    ["an intermediate without a path length", () => ({ ca: {}, keyUsage: 32 | 64 })],
    ["a leaf signed by an RSA CA", () => ({ signerKey: rsa.key, signerCert: rsa.cert })],
    ["a leaf valid past 2049 (GeneralizedTime)", () => ({ notAfter: new Date("2051-06-01T12:34:56Z") })],
    ["a serial with a high first byte", () => ({ serialHex: "00ff0102" })],
  ];
  for (const [name, over] of cases) {
    it(`encodes what the ASN.1 library encoded, and signs verifiably: ${name}`, async () => {
      const s = spec(over());
      const signed = await signCertificate(s);
      expect(signedPart(signed.rawData)).to.deep.equal(signedPart(await reference(s)));
      const cert = new X509Certificate(signed.rawData);
      const issuer = new X509Certificate(Buffer.from((s.signerCert ?? root.cert).rawData));
      expect(cert.verify(issuer.publicKey)).to.equal(true);
      expect(signed.toString("pem")).to.equal(cert.toString());
      expect(signed.serialNumber.toUpperCase()).to.equal(cert.serialNumber);
    });
  }
});
