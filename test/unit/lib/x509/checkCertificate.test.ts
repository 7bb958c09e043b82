import { expect } from "chai";
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  checkChain,
  checkKeyMatchesCertificate,
  checkValidity,
  describeCertificate,
} from "../../../../lib/x509/checkCertificate.js";
import { loadPrivateKey } from "../../../../lib/x509/loadPrivateKey.js";
import { expectIamraError } from "../../../support/expectIamraError.js";
import { makeCertificate, type GeneratedCertificate } from "../../../../devstack/certificates/makeCertificate.js";

const PKI = fileURLToPath(new URL("../../../fixtures/roles-anywhere/pki/", import.meta.url));
const cert = (name: string) => new X509Certificate(readFileSync(PKI + name));
const key = (name: string) => loadPrivateKey(readFileSync(PKI + name));
const NOW = Date.parse("2027-06-01T00:00:00Z"); // inside every fixture's validity

describe("checkKeyMatchesCertificate", () => {
  const pairs = [
    ["rsa-leaf-key.pem", "rsa-leaf-cert.pem"],
    ["ec-leaf-key.pem", "ec-leaf-cert.pem"],
    ["ec384-leaf-key.pem", "ec384-leaf-cert.pem"],
    ["ec-int-key.pem", "ec-int-cert.pem"],
  ];
  for (const [k, c] of pairs) {
    it(`accepts ${k} with ${c}`, () => {
      expect(() => checkKeyMatchesCertificate(key(k!), cert(c!))).not.to.throw();
    });
  }

  const mismatches = [
    ["ec-leaf-key.pem", "ec-int-cert.pem"],
    ["ec-leaf-key.pem", "rsa-leaf-cert.pem"],
    ["rsa-leaf-key.pem", "ec384-leaf-cert.pem"],
  ];
  for (const [k, c] of mismatches) {
    it(`rejects ${k} with ${c} as KEY_CERT_MISMATCH`, async () => {
      const err = await expectIamraError(() => checkKeyMatchesCertificate(key(k!), cert(c!)), "KEY_CERT_MISMATCH");
      expect(err.hint).to.include("matching pair");
      expect(err.message).to.include(cert(c!).serialNumber);
    });
  }
});

describe("checkValidity", () => {
  const c = cert("rsa-leaf-cert.pem"); // Nov 22 17:12:15 2026 .. Feb 24 17:12:15 2029 GMT
  const nb = Date.parse("2026-11-22T17:12:15Z");
  const na = Date.parse("2029-02-24T17:12:15Z");
  const cases: Array<{ at: number; code?: string; names?: string }> = [
    { at: nb - 1000, code: "CERTIFICATE_NOT_YET_VALID", names: "2026-11-22T17:12:15.000Z" },
    { at: nb },
    { at: NOW },
    { at: na },
    { at: na + 1000, code: "CERTIFICATE_EXPIRED", names: "2029-02-24T17:12:15.000Z" },
  ];
  for (const t of cases) {
    it(`${t.code ?? "accepts"} at ${new Date(t.at).toISOString()}`, async () => {
      if (!t.code) return expect(() => checkValidity(c, t.at)).not.to.throw();
      const err = await expectIamraError(() => checkValidity(c, t.at), t.code);
      expect(err.message).to.include(t.names!);
      expect(err.details).to.include({ notBefore: "2026-11-22T17:12:15.000Z", notAfter: "2029-02-24T17:12:15.000Z" });
    });
  }
});

describe("checkChain", () => {
  it("accepts the reference EC leaf → intermediate → root", () => {
    expect(() =>
      checkChain(cert("ec-leaf-cert.pem"), [cert("ec-int-cert.pem"), cert("ec-ca-cert.pem")], NOW),
    ).not.to.throw();
    expect(() => checkChain(cert("ec-leaf-cert.pem"), [cert("ec-int-cert.pem")], NOW)).not.to.throw();
    expect(() => checkChain(cert("ec-leaf-cert.pem"), [], NOW)).not.to.throw();
  });

  it("skips a copy of the leaf at the head of the chain (PKCS#12 style)", () => {
    const leaf = cert("rsa-leaf-cert.pem");
    expect(() => checkChain(leaf, [leaf, cert("rsa-ca-cert.pem")], NOW)).not.to.throw();
  });

  it("reports CHAIN_BROKEN for a chain in the wrong order", async () => {
    const err = await expectIamraError(
      () => checkChain(cert("ec-leaf-cert.pem"), [cert("ec-ca-cert.pem"), cert("ec-int-cert.pem")], NOW),
      "CHAIN_BROKEN",
    );
    expect(err.message).to.include("RA Test EC Intermediate").and.include("RA Test EC Root");
  });

  it("reports CHAIN_BROKEN when an issuer of the right name did not sign", async () => {
    const root = await makeCertificate({ subject: "CN=Root", ca: true });
    const impostor = await makeCertificate({ subject: "CN=Root", ca: true });
    const leaf = await makeCertificate({ subject: "CN=leaf", issuer: root });
    expect(() => checkChain(leaf.cert, [root.cert], NOW)).not.to.throw();
    const err = await expectIamraError(() => checkChain(leaf.cert, [impostor.cert], NOW), "CHAIN_BROKEN");
    expect(err.message).to.include("signature does not verify");
  });

  describe("with generated intermediates", () => {
    let root: GeneratedCertificate;
    before(async () => {
      root = await makeCertificate({ subject: "CN=Gen Root", ca: true });
    });
    const cases = [
      { what: "a non-CA intermediate", int: { ca: false }, code: "CHAIN_CERT_NOT_CA" },
      {
        what: "an expired intermediate",
        int: { ca: true, notAfter: new Date("2027-01-01Z") },
        code: "CHAIN_CERT_EXPIRED",
      },
      {
        what: "a not-yet-valid intermediate",
        int: { ca: true, notBefore: new Date("2028-01-01Z") },
        code: "CHAIN_CERT_NOT_YET_VALID",
      },
      { what: "a valid CA intermediate", int: { ca: true }, code: undefined },
    ];
    for (const c of cases) {
      it(`${c.code ?? "accepts"} for ${c.what}`, async () => {
        const int = await makeCertificate({ subject: "CN=Gen Int", issuer: root, ...c.int });
        const leaf = await makeCertificate({ subject: "CN=gen leaf", issuer: int });
        if (!c.code) return expect(() => checkChain(leaf.cert, [int.cert, root.cert], NOW)).not.to.throw();
        const err = await expectIamraError(() => checkChain(leaf.cert, [int.cert, root.cert], NOW), c.code);
        expect(err.message).to.include("Gen Int");
      });
    }
  });
});

describe("describeCertificate", () => {
  it("lists subject, issuer, serials, ISO validity and SANs", async () => {
    const root = await makeCertificate({ subject: "CN=Desc Root", ca: true });
    const leaf = await makeCertificate({
      subject: "CN=app, O=Payments",
      issuer: root,
      serialHex: "0100",
      notBefore: new Date("2026-01-02T03:04:05Z"),
      notAfter: new Date("2026-01-02T04:04:05Z"),
      uriSans: ["spiffe://cluster.local/ns/payments/sa/app", "urn:example:x"],
      dnsSans: ["app.payments.svc"],
    });
    expect(describeCertificate(leaf.cert)).to.deep.equal({
      subject: "CN=app, O=Payments",
      issuer: "CN=Desc Root",
      serial: "256",
      serialHex: "0100",
      notBefore: "2026-01-02T03:04:05.000Z",
      notAfter: "2026-01-02T04:04:05.000Z",
      uriSans: ["spiffe://cluster.local/ns/payments/sa/app", "urn:example:x"],
      dnsSans: ["app.payments.svc"],
    });
  });

  it("gives empty SAN lists for a certificate without SANs", () => {
    const d = describeCertificate(cert("ec-leaf-cert.pem"));
    expect(d).to.include({
      subject: "CN=ra-test-ec-leaf",
      serial: "4703992362655726044936",
      serialHex: "FF0102030405060708",
    });
    expect(d.uriSans).to.deep.equal([]);
    expect(d.dnsSans).to.deep.equal([]);
  });
});
