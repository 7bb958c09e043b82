import { expect } from "chai";
import type { X509Certificate } from "node:crypto";
import { checkIssuedCertificate } from "../../../../lib/x509/checkIssuedCertificate.js";
import { generateKeyPair, type GeneratedKeyPair } from "../../../../lib/x509/generateKeyPair.js";
import { expectIamraError } from "../../../support/expectIamraError.js";
import { makeCertificate, type GeneratedCertificate } from "../../../../devstack/certificates/makeCertificate.js";
import { cryptoKeyPairOf } from "../../../../devstack/certificates/cryptoKeyPairOf.js";

const NOW = Date.parse("2030-01-01T00:00:00Z");
const subjects = (certs: X509Certificate[]) => certs.map((c) => c.subject);

describe("checkIssuedCertificate", () => {
  let ours: GeneratedKeyPair;
  let root: GeneratedCertificate;
  let int: GeneratedCertificate;
  let leaf: GeneratedCertificate;
  before(async () => {
    ours = await generateKeyPair("ec-p256");
    root = await makeCertificate({ subject: "CN=Vault Root", ca: true });
    int = await makeCertificate({ subject: "CN=Vault Int", ca: true, issuer: root });
    leaf = await makeCertificate({
      subject: "CN=app",
      issuer: int,
      keys: await cryptoKeyPairOf(ours),
      uriSans: ["spiffe://td/ns/a/sa/app"],
    });
  });
  const check = (caChainPems: string[], certificatePem = leaf.pem, nowMs = NOW) =>
    checkIssuedCertificate({ certificatePem, caChainPems, signingKey: ours.signingKey, nowMs });

  const orders: Array<{ what: string; chain: () => string[] }> = [
    { what: "issuer-first (Vault's ca_chain)", chain: () => [int.pem, root.pem] },
    { what: "root-first", chain: () => [root.pem, int.pem] },
    { what: "with issuing_ca repeated and the leaf included", chain: () => [int.pem, leaf.pem, int.pem, root.pem] },
    { what: "as one PEM bundle", chain: () => [root.pem + int.pem] },
    { what: "with a copy inside one PEM bundle", chain: () => [int.pem + int.pem + root.pem, int.pem] },
  ];
  for (const o of orders) {
    it(`returns leaf + [intermediate] and leaves the root out, ${o.what}`, () => {
      const r = check(o.chain());
      expect(r.leaf.raw.equals(leaf.cert.raw)).to.equal(true);
      expect(subjects(r.chain)).to.deep.equal(["CN=Vault Int"]);
      expect(subjects(r.excluded)).to.deep.equal(["CN=Vault Root"]);
    });
  }

  it("returns an empty chain when the root signed the leaf directly", async () => {
    const direct = await makeCertificate({ subject: "CN=direct", issuer: root, keys: await cryptoKeyPairOf(ours) });
    const r = check([root.pem], direct.pem);
    expect(r.chain).to.deep.equal([]);
    expect(subjects(r.excluded)).to.deep.equal(["CN=Vault Root"]);
    expect(check([], direct.pem).chain).to.deep.equal([]);
  });

  it("picks, of two CA certificates with the issuer's name, the one whose key signed the leaf", async () => {
    const rekeyed = await makeCertificate({ subject: "CN=Vault Int", ca: true, issuer: root });
    for (const pems of [
      [rekeyed.pem, int.pem, root.pem],
      [int.pem, rekeyed.pem, root.pem],
    ]) {
      const r = check(pems);
      expect(r.chain.map((c) => c.raw.equals(int.cert.raw))).to.deep.equal([true]);
      expect(r.excluded.map((c) => c.raw.equals(rekeyed.cert.raw))).to.include(true);
    }
  });

  it("keeps two intermediates in leaf → root order and drops unrelated CAs", async () => {
    const int2 = await makeCertificate({ subject: "CN=Vault Int 2", ca: true, issuer: int });
    const other = await makeCertificate({ subject: "CN=Other CA", ca: true });
    const l2 = await makeCertificate({ subject: "CN=deep", issuer: int2, keys: await cryptoKeyPairOf(ours) });
    const r = check([other.pem, root.pem, int.pem, int2.pem], l2.pem);
    expect(subjects(r.chain)).to.deep.equal(["CN=Vault Int 2", "CN=Vault Int"]);
    expect(subjects(r.excluded).sort()).to.deep.equal(["CN=Other CA", "CN=Vault Root"]);
  });

  it("throws CERT_KEY_NOT_OURS for a certificate issued to another key", async () => {
    const theirs = await makeCertificate({ subject: "CN=app", issuer: int });
    const err = await expectIamraError(() => check([int.pem, root.pem], theirs.pem), "CERT_KEY_NOT_OURS");
    expect(err.message).to.include("CN=app");
  });

  it("throws CERTIFICATE_EXPIRED / CERTIFICATE_NOT_YET_VALID outside the leaf's validity", async () => {
    await expectIamraError(() => check([int.pem], leaf.pem, Date.parse("2041-01-01Z")), "CERTIFICATE_EXPIRED");
    await expectIamraError(() => check([int.pem], leaf.pem, Date.parse("2019-01-01Z")), "CERTIFICATE_NOT_YET_VALID");
  });

  it("throws CERTIFICATE_INVALID when notAfter is not after notBefore", async () => {
    const same = new Date("2029-01-01T00:00:00Z");
    const bad = await makeCertificate({
      subject: "CN=zero",
      issuer: int,
      keys: await cryptoKeyPairOf(ours),
      notBefore: same,
      notAfter: same,
    });
    await expectIamraError(() => check([int.pem], bad.pem), "CERTIFICATE_INVALID");
  });

  it("throws CHAIN_BROKEN when none of the CAs issued the leaf", async () => {
    const other = await makeCertificate({ subject: "CN=Other CA", ca: true });
    const err = await expectIamraError(() => check([other.pem]), "CHAIN_BROKEN");
    expect(err.message).to.include("CN=Vault Int");
  });

  it("throws CHAIN_BROKEN when a CA of the right name did not sign the leaf", async () => {
    const impostor = await makeCertificate({ subject: "CN=Vault Int", ca: true, issuer: root });
    await expectIamraError(() => check([impostor.pem, root.pem]), "CHAIN_BROKEN");
  });

  it("throws CHAIN_BROKEN when the intermediate is not signed by the root given", async () => {
    const otherRoot = await makeCertificate({ subject: "CN=Vault Root", ca: true });
    await expectIamraError(() => check([int.pem, otherRoot.pem]), "CHAIN_BROKEN");
  });

  it("throws CHAIN_CERT_EXPIRED when the intermediate has expired", async () => {
    const oldInt = await makeCertificate({
      subject: "CN=Old Int",
      ca: true,
      issuer: root,
      notAfter: new Date("2029-06-01Z"),
    });
    const l = await makeCertificate({ subject: "CN=l", issuer: oldInt, keys: await cryptoKeyPairOf(ours) });
    await expectIamraError(() => check([oldInt.pem, root.pem], l.pem), "CHAIN_CERT_EXPIRED");
  });

  it("throws CERTIFICATE_MISSING / CHAIN_INVALID for malformed answers", async () => {
    await expectIamraError(() => check([int.pem], ""), "CERTIFICATE_MISSING");
    await expectIamraError(
      () => check(["-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"]),
      "CHAIN_INVALID",
    );
  });
});
