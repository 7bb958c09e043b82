import { expect } from "chai";
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  derToPem,
  parseCertificateBundle,
  parseCertificatePem,
  pemToDer,
  serialToDecimal,
} from "../../../../lib/x509/parseCertificates.js";
import { expectIamraError } from "../../../support/expectIamraError.js";
import { makeCertificate } from "../../../../devstack/certificates/makeCertificate.js";

const FIX = fileURLToPath(new URL("../../../fixtures/roles-anywhere/", import.meta.url));
const read = (name: string) => readFileSync(FIX + "pki/" + name, "utf8");

describe("serialToDecimal", () => {
  const cases = [
    {
      file: "rsa-leaf-cert.pem",
      hex: "5D1A9B3C0F00112233445566778899AABBCCDDEE",
      dec: "531529483902979077497261215222096813763213450734",
    },
    { file: "ec-leaf-cert.pem", hex: "FF0102030405060708", dec: "4703992362655726044936" },
    { file: "ec384-leaf-cert.pem", hex: "3039", dec: "12345" },
    { file: "ec-ca-cert.pem", hex: "01", dec: "1" },
  ];
  for (const c of cases) {
    it(`gives ${c.dec} for ${c.file} (hex ${c.hex})`, () => {
      const cert = parseCertificatePem(read(c.file));
      expect(cert.serialNumber).to.equal(c.hex);
      expect(serialToDecimal(cert)).to.equal(c.dec);
    });
  }

  it("keeps the DER sign byte out (00FF01… encodes FF01…)", () => {
    const der = pemToDer(read("ec-leaf-cert.pem"));
    // tbsCertificate: version [0] then INTEGER 02 0A 00 FF 01 02 ... 08
    expect(der.includes(Buffer.from("020a00ff0102030405060708", "hex"))).to.equal(true);
  });

  it("matches the Credential serial of every reference vector", () => {
    const vectors = JSON.parse(readFileSync(FIX + "vectors.json", "utf8")) as Array<{
      cert_pem: string;
      authorization: string;
    }>;
    expect(vectors.length).to.be.greaterThan(2);
    for (const v of vectors) {
      const credential = /Credential=(\d+)\//.exec(v.authorization)?.[1];
      expect(serialToDecimal(parseCertificatePem(v.cert_pem))).to.equal(credential);
    }
  });

  it("drops leading zeros of a generated serial", async () => {
    const { cert } = await makeCertificate({ subject: "CN=s", serialHex: "00000102" });
    expect(serialToDecimal(cert)).to.equal("258");
  });
});

describe("parseCertificatePem", () => {
  it("takes the first CERTIFICATE block of a combo key+cert file", () => {
    const cert = parseCertificatePem(read("ec-leaf-combo.pem"));
    expect(cert.subject).to.equal("CN=ra-test-ec-leaf");
  });

  it("takes the first of several certificates", () => {
    expect(parseCertificatePem(read("ec-chain.pem")).subject).to.equal(
      new X509Certificate(read("ec-chain.pem")).subject,
    );
    const both = read("ec384-leaf-cert.pem") + read("rsa-leaf-cert.pem");
    expect(parseCertificatePem(both).subject).to.equal("CN=ra-test-ec384-leaf");
  });

  it("reports CERTIFICATE_MISSING when there is no CERTIFICATE block", async () => {
    const err = await expectIamraError(
      () => parseCertificatePem(read("ec-leaf-key.pem"), "/x/cert.pem"),
      "CERTIFICATE_MISSING",
    );
    expect(err.message).to.include("/x/cert.pem");
  });

  const invalid = [
    { what: "garbage DER", pem: derToPem(Buffer.from("not a certificate")) },
    { what: "a truncated certificate", pem: derToPem(pemToDer(read("ec-leaf-cert.pem")).subarray(0, 100)) },
    { what: "a non-base64 body", pem: "-----BEGIN CERTIFICATE-----\n%%%%\n-----END CERTIFICATE-----\n" },
  ];
  for (const c of invalid) {
    it(`reports CERTIFICATE_INVALID for ${c.what}`, async () => {
      await expectIamraError(() => parseCertificatePem(c.pem), "CERTIFICATE_INVALID");
    });
  }
});

describe("parseCertificateBundle", () => {
  it("returns every certificate of ec-chain.pem in file order", () => {
    const certs = parseCertificateBundle(read("ec-chain.pem"));
    const expected = [
      ...read("ec-chain.pem").matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g),
    ].map((m) => new X509Certificate(m[0]).subject);
    expect(expected.length).to.be.greaterThan(0);
    expect(certs.map((c) => c.subject)).to.deep.equal(expected);
  });

  it("ignores text between blocks and keeps order", () => {
    const pem =
      "# intermediates\n" + read("rsa-leaf-cert.pem") + "\nsubject=whatever\n\n" + read("ec-int-cert.pem") + "trailer";
    expect(parseCertificateBundle(pem).map((c) => c.subject)).to.deep.equal([
      "CN=ra-test-rsa-leaf\nO=RA Research",
      "CN=RA Test EC Intermediate",
    ]);
  });

  it("returns [] for text without blocks", () => {
    expect(parseCertificateBundle("")).to.deep.equal([]);
    expect(parseCertificateBundle("no pem here")).to.deep.equal([]);
  });

  it("rejects a key inside a chain bundle with CHAIN_INVALID", async () => {
    const err = await expectIamraError(
      () => parseCertificateBundle(read("ec-int-cert.pem") + read("ec-leaf-key.pem"), "chain.pem"),
      "CHAIN_INVALID",
    );
    expect(err.message).to.include("block 2").and.include("EC PRIVATE KEY").and.include("chain.pem");
  });

  it("rejects an unparseable certificate with CHAIN_INVALID", async () => {
    await expectIamraError(() => parseCertificateBundle(derToPem(Buffer.from([1, 2, 3]))), "CHAIN_INVALID");
  });

  it("leaves out, without parsing them, the blocks that skip accepts", () => {
    const junk = Buffer.from([1, 2, 3]);
    const pem = derToPem(junk) + read("ec-int-cert.pem");
    const certs = parseCertificateBundle(pem, "chain.pem", (der) => der.equals(junk));
    expect(certs.map((c) => c.subject)).to.deep.equal(["CN=RA Test EC Intermediate"]);
  });
});

describe("pemToDer / derToPem", () => {
  it("round-trips a certificate with 64-column lines", () => {
    const der = pemToDer(read("rsa-leaf-cert.pem"));
    const pem = derToPem(der);
    expect(pem.startsWith("-----BEGIN CERTIFICATE-----\n")).to.equal(true);
    expect(pem.endsWith("-----END CERTIFICATE-----\n")).to.equal(true);
    const body = pem.split("\n").slice(1, -2);
    expect(body.slice(0, -1).every((l) => l.length === 64)).to.equal(true);
    expect(new X509Certificate(pem).raw.equals(der)).to.equal(true);
  });

  it("uses the label it is given", () => {
    const pem = derToPem(Buffer.from("hello"), "TEST DATA");
    expect(pem).to.equal("-----BEGIN TEST DATA-----\naGVsbG8=\n-----END TEST DATA-----\n");
    expect(pemToDer(pem, "TEST DATA").toString()).to.equal("hello");
  });

  it("finds the requested label in a combo file and fails when it is absent", async () => {
    expect(pemToDer(read("ec-leaf-combo.pem"), "EC PRIVATE KEY").length).to.be.greaterThan(100);
    await expectIamraError(() => pemToDer(read("ec-leaf-key.pem")), "PEM_BLOCK_MISSING");
  });
});
