import { expect } from "chai";
import { execFile } from "node:child_process";
import { createPublicKey, KeyObject, webcrypto } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createCsr } from "../../../../lib/x509/createCsr.js";
import { generateKeyPair, type GeneratedKeyPair, type KeyKind } from "../../../../lib/x509/generateKeyPair.js";
import { toSigningKey } from "../../../../lib/x509/signingKey.js";
import { x509 } from "../../../../devstack/certificates/x509Library.js";
import { expectIamraError } from "../../../support/expectIamraError.js";
import { cryptoKeyPairOf } from "../../../../devstack/certificates/cryptoKeyPairOf.js";

const run = promisify(execFile);
const derOf = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ""), "base64");

/** The first element inside the outer SEQUENCE of `der`: the CertificationRequestInfo of a CSR, tag to last byte. */
function firstInner(der: Buffer): Buffer {
  const skip = (at: number) => (der[at + 1]! < 0x80 ? 2 : 2 + (der[at + 1]! & 0x7f));
  const length = (at: number) => {
    const first = der[at + 1]!;
    if (first < 0x80) return first;
    return [...der.subarray(at + 2, at + 2 + (first & 0x7f))].reduce((n, b) => n * 256 + b, 0);
  };
  const start = skip(0);
  return der.subarray(start, start + skip(start) + length(start));
}

/** A P-521 pair built by hand: generateKeyPair does not offer P-521, but a SigningKey may be on that curve. */
async function p521Pair(): Promise<GeneratedKeyPair> {
  const params = { name: "ECDSA", namedCurve: "P-521" };
  const pair = await webcrypto.subtle.generateKey(params, true, ["sign", "verify"]);
  const cryptoKeyPair = pair as webcrypto.CryptoKeyPair;
  const signingKey = toSigningKey(KeyObject.from(cryptoKeyPair.privateKey));
  const publicKey = KeyObject.from(cryptoKeyPair.publicKey);
  return { signingKey, publicKey, kind: "ec-p256" }; // createCsr does not read kind
}

describe("createCsr", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-csr-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** `openssl req -verify -noout …` on the CSR; rejects only on unreadable input (a bad signature still exits 0). */
  async function openssl(pem: string, name: string, ...extra: string[]) {
    const file = join(dir, name);
    await writeFile(file, pem);
    return run("openssl", ["req", "-in", file, "-verify", "-noout", ...extra]);
  }

  const cases: Array<{ kind: KeyKind; alg: string }> = [
    { kind: "ec-p256", alg: "ecdsa-with-SHA256" },
    { kind: "ec-p384", alg: "ecdsa-with-SHA384" },
    { kind: "rsa-2048", alg: "sha256WithRSAEncryption" },
  ];
  for (const c of cases) {
    it(`makes a ${c.kind} CSR that openssl verifies, with CN, URI and DNS SANs`, async () => {
      const keyPair = await generateKeyPair(c.kind);
      const pem = await createCsr({
        keyPair,
        commonName: "payments/app",
        uriSans: ["spiffe://cluster.local/ns/payments/sa/app"],
        dnsSans: ["app.payments.svc", "app.payments.svc.cluster.local"],
      });
      expect(pem).to.match(/^-----BEGIN CERTIFICATE REQUEST-----\n[\s\S]+\n-----END CERTIFICATE REQUEST-----\n$/);
      const { stdout, stderr } = await openssl(pem, `${c.kind}.csr`, "-text");
      expect(stderr + stdout).to.match(/verify OK/i);
      expect(stdout).to.match(/Subject: CN\s?=\s?payments\/app\n/);
      expect(stdout).to.include(`Signature Algorithm: ${c.alg}`);
      expect(stdout).to.include("X509v3 Subject Alternative Name");
      expect(stdout).to.include("URI:spiffe://cluster.local/ns/payments/sa/app");
      expect(stdout).to.include("DNS:app.payments.svc, DNS:app.payments.svc.cluster.local");
      const pub = await openssl(pem, `${c.kind}-pub.csr`, "-pubkey");
      const ours = createPublicKey(keyPair.signingKey.keyObject).export({ type: "spki", format: "pem" });
      expect(pub.stdout.replace(/^verify OK\n/i, "")).to.equal(ours);
    });
  }

  it("omits the SAN extension when no SANs are given", async () => {
    const pem = await createCsr({ keyPair: await generateKeyPair("ec-p256"), commonName: "plain" });
    const { stdout } = await openssl(pem, "plain.csr", "-text");
    expect(stdout).to.match(/Subject: CN\s?=\s?plain\n/);
    expect(stdout).not.to.include("Subject Alternative Name");
  });

  it("encodes a CN with commas and plus signs as one attribute", async () => {
    const pem = await createCsr({ keyPair: await generateKeyPair("ec-p256"), commonName: "a, b+c=d" });
    const { stdout } = await openssl(pem, "odd.csr", "-subject", "-nameopt", "RFC2253");
    expect(stdout.trim()).to.equal("subject=CN=a\\, b\\+c=d");
  });

  it("is rejected by openssl when its signature is tampered with (the check above can fail)", async () => {
    const pem = await createCsr({ keyPair: await generateKeyPair("rsa-2048"), commonName: "tamper" });
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ""), "base64");
    der[der.length - 5] ^= 0xff; // inside the RSA signature
    const bad = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString("base64")}\n-----END CERTIFICATE REQUEST-----\n`;
    // OpenSSL 3.0 exits 0 either way; it says "verify OK" or "verify failure", which is what the tests above check.
    const { stdout, stderr } = await openssl(bad, "tampered.csr");
    expect(stdout + stderr).not.to.match(/verify OK/i);
    expect(stdout + stderr).to.match(/verify failure/i);
  });

  const ecdsa = (hash: string) => ({ name: "ECDSA", hash: { name: hash } });
  const rsaSha256 = { name: "RSASSA-PKCS1-v1_5", hash: { name: "SHA-256" } };
  const parsed: Array<{ what: string; pair: () => Promise<GeneratedKeyPair>; alg: object }> = [
    { what: "ec-p256", pair: () => generateKeyPair("ec-p256"), alg: ecdsa("SHA-256") },
    { what: "ec-p384", pair: () => generateKeyPair("ec-p384"), alg: ecdsa("SHA-384") },
    { what: "EC P-521", pair: p521Pair, alg: ecdsa("SHA-512") },
    { what: "rsa-2048", pair: () => generateKeyPair("rsa-2048"), alg: rsaSha256 },
  ];
  for (const c of parsed) {
    it(`makes a ${c.what} CSR that @peculiar/x509 verifies, with subject and SAN extension request`, async () => {
      const keyPair = await c.pair();
      const uriSans = ["spiffe://cluster.local/ns/payments/sa/app", "urn:example:a"];
      const dnsSans = ["app.payments.svc", "*.payments.svc.cluster.local"];
      const pem = await createCsr({ keyPair, commonName: "payments/app", uriSans, dnsSans });
      const csr = new x509.Pkcs10CertificateRequest(pem);
      expect(await csr.verify()).to.equal(true);
      expect(csr.subject).to.equal("CN=payments/app");
      expect(csr.signatureAlgorithm).to.deep.include(c.alg);
      expect(csr.attributes.map((a) => a.type)).to.deep.equal(["1.2.840.113549.1.9.14"]);
      expect(csr.extensions.map((e) => [e.type, e.critical])).to.deep.equal([["2.5.29.17", false]]);
      const san = new x509.SubjectAlternativeNameExtension(csr.extensions[0]!.rawData);
      expect(san.names.toJSON()).to.deep.equal([
        ...uriSans.map((value) => ({ type: "url", value })),
        ...dnsSans.map((value) => ({ type: "dns", value })),
      ]);
      const spki = createPublicKey(keyPair.signingKey.keyObject).export({ type: "spki", format: "der" });
      expect(Buffer.from(csr.publicKey.rawData).equals(spki)).to.equal(true);
    });
  }

  it("encodes an RSA request exactly as @peculiar/x509's generator does (PKCS#1 v1.5 is deterministic)", async () => {
    const keyPair = await generateKeyPair("rsa-2048");
    const input = { commonName: "a, b+c=d", uriSans: ["spiffe://t/ns/a/sa/b"], dnsSans: ["x.example"] };
    const ours = derOf(await createCsr({ keyPair, ...input }));
    const theirs = await x509.Pkcs10CertificateRequestGenerator.create({
      name: [{ CN: [input.commonName] }],
      keys: await cryptoKeyPairOf(keyPair),
      signingAlgorithm: { name: "RSASSA-PKCS1-v1_5" },
      extensions: [
        new x509.SubjectAlternativeNameExtension([
          { type: "url", value: input.uriSans[0]! },
          { type: "dns", value: input.dnsSans[0]! },
        ]),
      ],
    });
    expect(ours.toString("hex")).to.equal(Buffer.from(theirs.rawData).toString("hex"));
  });

  for (const commonName of ["plain", "app_1@ns", "naïve"]) {
    it(`signs the same CertificationRequestInfo as @peculiar/x509's generator for CN ${commonName}`, async () => {
      const keyPair = await generateKeyPair("ec-p384");
      const ours = derOf(await createCsr({ keyPair, commonName }));
      const theirs = await x509.Pkcs10CertificateRequestGenerator.create({
        name: [{ CN: [commonName] }],
        keys: await cryptoKeyPairOf(keyPair),
        signingAlgorithm: { name: "ECDSA", hash: "SHA-384" },
      });
      expect(firstInner(ours).toString("hex")).to.equal(firstInner(Buffer.from(theirs.rawData)).toString("hex"));
      expect(new x509.Pkcs10CertificateRequest(ours).subject).to.equal(`CN=${commonName}`);
    });
  }

  it("keeps quotes and backslash sequences in the CN as given (no DN string unquoting or unescaping)", async () => {
    const commonName = 'say "hi" \\0a';
    const pem = await createCsr({ keyPair: await generateKeyPair("ec-p256"), commonName });
    expect(new x509.Pkcs10CertificateRequest(pem).subjectName.toJSON()).to.deep.equal([{ CN: [commonName] }]);
  });

  it("writes long-form lengths that openssl and @peculiar/x509 read when the SAN list passes 256 bytes", async () => {
    const keyPair = await generateKeyPair("ec-p256");
    const uriSans = Array.from({ length: 12 }, (_, i) => `spiffe://cluster.local/ns/team-${i}/sa/service-account-${i}`);
    const pem = await createCsr({ keyPair, commonName: "many", uriSans });
    const der = derOf(pem);
    expect(der[1]).to.equal(0x82); // the whole request needs two length octets
    const csr = new x509.Pkcs10CertificateRequest(pem);
    expect(await csr.verify()).to.equal(true);
    const san = new x509.SubjectAlternativeNameExtension(csr.extensions[0]!.rawData);
    expect(san.names.items.map((n) => n.value)).to.deep.equal(uriSans);
    const { stdout, stderr } = await openssl(pem, "many.csr", "-text");
    expect(stderr + stdout).to.match(/verify OK/i);
    expect(stdout).to.include(`URI:${uriSans[11]}`);
  });

  it("has a signature that @peculiar/x509 rejects once tampered with (verify can fail)", async () => {
    const der = derOf(await createCsr({ keyPair: await generateKeyPair("ec-p256"), commonName: "tamper" }));
    der[der.length - 3] ^= 0x01; // inside the ECDSA signature's s value
    expect(await new x509.Pkcs10CertificateRequest(der).verify()).to.equal(false);
  });

  const invalid = [
    { what: "an empty common name", opts: { commonName: " " } },
    { what: "a URI SAN without scheme", opts: { commonName: "x", uriSans: ["no-scheme"] } },
    { what: "a URI SAN with spaces", opts: { commonName: "x", uriSans: ["spiffe://a b"] } },
    { what: "a DNS SAN with a slash", opts: { commonName: "x", dnsSans: ["a/b"] } },
  ];
  for (const c of invalid) {
    it(`throws CSR_INVALID for ${c.what}`, async () => {
      const keyPair = await generateKeyPair("ec-p256");
      await expectIamraError(() => createCsr({ keyPair, ...c.opts }), "CSR_INVALID");
    });
  }
});
