import { expect } from "chai";
import { createPrivateKey, createPublicKey, verify, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { signRequest } from "../../../../lib/rolesanywhere/signRequest.js";
import { parseAuthorization } from "../../../../lib/rolesanywhere/authorizationHeader.js";

const fixtures = fileURLToPath(new URL("../../../fixtures/roles-anywhere/", import.meta.url));

interface Vector {
  id: number;
  description: string;
  key_file: string;
  url: string;
  raw_headers: string[];
  body: string;
  canonical_request: string;
  string_to_sign: string;
  authorization: string;
  cert_pem: string;
}

const vectors = JSON.parse(readFileSync(`${fixtures}vectors.json`, "utf8")) as Vector[];

/** Rebuilds our signer's input from a captured request, so that only the signer's own work is compared. */
function inputFromVector(v: Vector) {
  const headers = new Map<string, string>();
  for (let i = 0; i < v.raw_headers.length; i += 2) headers.set(v.raw_headers[i]!.toLowerCase(), v.raw_headers[i + 1]!);
  const url = new URL(v.url, "http://placeholder");
  const query = Object.fromEntries(url.searchParams.entries());
  const amz = headers.get("x-amz-date")!;
  const nowMs = Date.UTC(
    +amz.slice(0, 4),
    +amz.slice(4, 6) - 1,
    +amz.slice(6, 8),
    +amz.slice(9, 11),
    +amz.slice(11, 13),
    +amz.slice(13, 15),
  );
  const chain = headers.get("x-amz-x509-chain");
  const cert = new X509Certificate(Buffer.from(headers.get("x-amz-x509")!, "base64"));
  const keyPem = readFileSync(`${fixtures}${v.key_file.replace(/rsa-leaf\.p12$/, "rsa-leaf-key.pem")}`);
  const keyObject = createPrivateKey(keyPem);
  return {
    headers,
    input: {
      key: { keyObject, type: keyObject.asymmetricKeyType === "rsa" ? ("rsa" as const) : ("ec" as const) },
      certificateDer: cert.raw,
      serialDecimal: BigInt(`0x${cert.serialNumber}`).toString(10),
      chainDer: chain ? chain.split(",").map((b) => Buffer.from(b, "base64")) : [],
      region: parseAuthorization(headers.get("authorization")!)!.region,
      nowMs,
      host: headers.get("host")!,
      query,
      body: v.body,
      headers: {
        "amz-sdk-invocation-id": headers.get("amz-sdk-invocation-id")!,
        "amz-sdk-request": headers.get("amz-sdk-request")!,
        "content-type": headers.get("content-type")!,
      },
    },
  };
}

describe("signRequest", () => {
  for (const v of vectors) {
    it(`reproduces the canonical request and string to sign of vector ${v.id} (${v.description})`, () => {
      const { input } = inputFromVector(v);
      const signed = signRequest(input);
      expect(signed.canonicalRequest).to.equal(v.canonical_request);
      expect(signed.stringToSign).to.equal(v.string_to_sign);
    });
  }

  for (const v of vectors.filter((x) => x.authorization.startsWith("AWS4-X509-RSA"))) {
    it(`reproduces the RSA Authorization header of vector ${v.id} byte for byte`, () => {
      const { input, headers } = inputFromVector(v);
      const signed = signRequest(input);
      expect(signed.authorization).to.equal(v.authorization);
      expect(signed.headers.authorization).to.equal(headers.get("authorization"));
      expect(signed.headers["x-amz-x509"]).to.equal(headers.get("x-amz-x509"));
      expect(signed.headers["x-amz-x509-chain"]).to.equal(headers.get("x-amz-x509-chain"));
    });
  }

  for (const v of vectors.filter((x) => x.authorization.startsWith("AWS4-X509-ECDSA"))) {
    it(`produces an ECDSA signature for vector ${v.id} that verifies with the certificate's key`, () => {
      const { input, headers } = inputFromVector(v);
      const signed = signRequest(input);
      const ours = parseAuthorization(signed.authorization)!;
      const theirs = parseAuthorization(headers.get("authorization")!)!;
      expect(ours.algorithm).to.equal("AWS4-X509-ECDSA-SHA256");
      expect({ ...ours, signature: "" }).to.deep.equal({ ...theirs, signature: "" });
      const publicKey = createPublicKey(readFileSync(`${fixtures}${v.key_file}`));
      const sig = Buffer.from(ours.signature, "hex");
      expect(sig[0]).to.equal(0x30, "DER SEQUENCE");
      expect(verify("sha256", Buffer.from(signed.stringToSign), { key: publicKey, dsaEncoding: "der" }, sig)).to.equal(
        true,
      );
      // the captured signature verifies over the same string to sign, so both signers signed the same bytes
      const captured = Buffer.from(theirs.signature, "hex");
      expect(
        verify("sha256", Buffer.from(signed.stringToSign), { key: publicKey, dsaEncoding: "der" }, captured),
      ).to.equal(true);
    });
  }

  it("signs with the time it is given, not the wall clock", () => {
    const { input } = inputFromVector(vectors[0]!);
    const signed = signRequest({ ...input, nowMs: Date.UTC(2030, 0, 2, 3, 4, 5) });
    expect(signed.headers["x-amz-date"]).to.equal("20300102T030405Z");
    expect(signed.authorization).to.contain("/20300102/us-east-1/rolesanywhere/aws4_request");
  });

  it("changes the signature when the body changes", () => {
    const { input } = inputFromVector(vectors[0]!);
    const a = signRequest(input);
    const b = signRequest({ ...input, body: '{"durationSeconds":3601}' });
    expect(a.authorization).to.not.equal(b.authorization);
  });
});
