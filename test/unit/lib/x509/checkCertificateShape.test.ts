import { expect } from "chai";
import { generateKeyPairSync, webcrypto } from "node:crypto";
import { makeCertificate } from "../../../../devstack/certificates/makeCertificate.js";
import { checkCertificateShape } from "../../../../lib/x509/checkCertificateShape.js";
import { createCsr } from "../../../../lib/x509/createCsr.js";
import { derBitString, derContext, derInteger, derSequence } from "../../../../lib/x509/der.js";
import { generateKeyPair } from "../../../../lib/x509/generateKeyPair.js";
import { readDerElement } from "../../../../lib/x509/readDer.js";
import { readPemBlocks } from "../../../../lib/x509/readPemBlocks.js";

const derOf = (pem: string) => readPemBlocks(pem)[0]!.der;
const seq = derSequence;
/** A certificate outline: tbsCertificate fields, then signatureAlgorithm and signatureValue. */
const outline = (...tbs: Buffer[]) => seq(seq(...tbs), seq(), derBitString(Buffer.from([1, 2])));
const V3 = derContext(0, true, derInteger(2));
const NAMES = [seq(), seq(), seq(), seq(), seq()]; // signature, issuer, validity, subject, subjectPublicKeyInfo

describe("checkCertificateShape", () => {
  it("passes certificates signed with EC and RSA keys, CAs and leaves with extensions", async () => {
    const root = await makeCertificate({ subject: "CN=Shape Root", ca: true });
    const rsaKeys = (await webcrypto.subtle.generateKey(
      { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
      true,
      ["sign", "verify"],
    )) as webcrypto.CryptoKeyPair;
    const rsa = await makeCertificate({ subject: "CN=Shape RSA", ca: true, keys: rsaKeys });
    const leaf = await makeCertificate({ subject: "CN=leaf", issuer: root, uriSans: ["spiffe://x/ns/a/sa/b"] });
    for (const c of [root, rsa, leaf]) expect(() => checkCertificateShape(derOf(c.pem)), c.pem).not.to.throw();
  });

  it("passes the outline of a version 1 certificate (no [0] version) and one with unique identifiers", () => {
    expect(() => checkCertificateShape(outline(derInteger(7), ...NAMES))).not.to.throw();
    const ids = [derContext(1, false, Buffer.from([0])), derContext(2, false, Buffer.from([0]))];
    expect(() =>
      checkCertificateShape(outline(V3, derInteger(7), ...NAMES, ...ids, derContext(3, true, seq()))),
    ).not.to.throw();
  });

  it("refuses a private key, a public key and a certificate request", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const csr = await createCsr({ keyPair: await generateKeyPair("ec-p256"), commonName: "app" });
    const shapes = {
      "PKCS#8 key": privateKey.export({ format: "der", type: "pkcs8" }),
      "SEC 1 key": privateKey.export({ format: "der", type: "sec1" }),
      "PKCS#1 key": rsa.privateKey.export({ format: "der", type: "pkcs1" }),
      "public key": publicKey.export({ format: "der", type: "spki" }),
      "certificate request": derOf(csr),
    };
    for (const [name, der] of Object.entries(shapes)) {
      expect(() => checkCertificateShape(der), name).to.throw(RangeError);
    }
  });

  it("refuses a certificate cut short, one with bytes after it, and bytes that decode to nothing", async () => {
    const der = derOf((await makeCertificate({ subject: "CN=Cut" })).pem);
    expect(() => checkCertificateShape(der.subarray(0, der.length - 1))).to.throw(RangeError, /remain/);
    expect(() => checkCertificateShape(der.subarray(0, 40))).to.throw(RangeError, /remain/);
    expect(() => checkCertificateShape(Buffer.concat([der, Buffer.from([0])]))).to.throw(RangeError, /1 octets after/);
    expect(() => checkCertificateShape(Buffer.alloc(0))).to.throw(RangeError, /cut short/);
  });

  it("refuses a certificate whose tbsCertificate length was changed", async () => {
    const der = Buffer.from(derOf((await makeCertificate({ subject: "CN=Bent" })).pem));
    const tbs = readDerElement(der, readDerElement(der, 0).start);
    expect(der[tbs.start - 1]).to.be.above(0); // the last length octet of the tbsCertificate
    der[tbs.start - 1] = der[tbs.start - 1]! - 1;
    expect(() => checkCertificateShape(der)).to.throw(RangeError);
  });

  const OUTER = /not a SEQUENCE of tbsCertificate, signatureAlgorithm and signatureValue/;
  const TBS = /tbsCertificate does not have the fields of a certificate/;
  const outlines: Array<[string, Buffer, RegExp]> = [
    ["a value that is not a SEQUENCE", derInteger(1), /not a DER SEQUENCE/],
    ["a SEQUENCE of two elements", seq(seq(derInteger(1), ...NAMES), seq()), OUTER],
    [
      "a SEQUENCE with a fourth element",
      seq(seq(derInteger(1), ...NAMES), seq(), derBitString(Buffer.alloc(1)), seq()),
      OUTER,
    ],
    ["a signatureValue that is not a BIT STRING", seq(seq(derInteger(1), ...NAMES), seq(), seq()), OUTER],
    ["a tbsCertificate missing its subjectPublicKeyInfo", outline(V3, derInteger(1), ...NAMES.slice(1)), TBS],
    ["a tbsCertificate without a serial number", outline(V3, ...NAMES), TBS],
    ["a tbsCertificate with an unknown trailing field", outline(derInteger(1), ...NAMES, derInteger(0)), TBS],
  ];
  for (const [name, der, message] of outlines) {
    it(`refuses ${name}`, () => {
      expect(() => checkCertificateShape(der)).to.throw(RangeError, message);
    });
  }
});
