import { expect } from "chai";
import { generateKeyPairSync } from "node:crypto";
import { toSigningKey } from "../../../../lib/x509/signingKey.js";
import { expectIamraError } from "../../../support/expectIamraError.js";

describe("toSigningKey", () => {
  const accepted = [
    { curve: "prime256v1", expected: "P-256" },
    { curve: "secp384r1", expected: "P-384" },
    { curve: "secp521r1", expected: "P-521" },
  ];
  for (const a of accepted) {
    it(`maps EC ${a.curve} to ${a.expected}`, () => {
      const k = toSigningKey(generateKeyPairSync("ec", { namedCurve: a.curve }).privateKey);
      expect(k).to.include({ type: "ec", curve: a.expected });
    });
  }

  it("reports RSA modulus size", () => {
    expect(toSigningKey(generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey)).to.include({
      type: "rsa",
      bits: 1024,
    });
  });

  it("refuses a public key, RSA-PSS and X25519", async () => {
    await expectIamraError(
      () => toSigningKey(generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey),
      "PRIVATE_KEY_UNSUPPORTED",
    );
    await expectIamraError(
      () => toSigningKey(generateKeyPairSync("rsa-pss", { modulusLength: 1024 }).privateKey),
      "PRIVATE_KEY_UNSUPPORTED",
    );
    const err = await expectIamraError(
      () => toSigningKey(generateKeyPairSync("x25519").privateKey, "/k.pem"),
      "PRIVATE_KEY_UNSUPPORTED",
    );
    expect(err.message).to.include("x25519").and.include("/k.pem");
  });
});
