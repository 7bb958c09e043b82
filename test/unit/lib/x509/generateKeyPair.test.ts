import { expect } from "chai";
import { createPublicKey, KeyObject, sign, verify } from "node:crypto";
import { generateKeyPair, isKeyKind, KEY_KINDS, type KeyKind } from "../../../../lib/x509/generateKeyPair.js";

describe("generateKeyPair", () => {
  const expected: Record<KeyKind, { type: string; curve?: string; bits?: number }> = {
    "ec-p256": { type: "ec", curve: "P-256" },
    "ec-p384": { type: "ec", curve: "P-384" },
    "rsa-2048": { type: "rsa", bits: 2048 },
    "rsa-3072": { type: "rsa", bits: 3072 },
    "rsa-4096": { type: "rsa", bits: 4096 },
  };

  it("lists exactly the supported kinds", () => {
    expect([...KEY_KINDS]).to.deep.equal(Object.keys(expected));
    expect(isKeyKind("ec-p256")).to.equal(true);
    expect(isKeyKind("ed25519")).to.equal(false);
  });

  for (const kind of KEY_KINDS) {
    it(`makes a ${kind} pair whose private and public keys belong together`, async () => {
      const pair = await generateKeyPair(kind);
      expect(pair.kind).to.equal(kind);
      expect(pair.signingKey.type).to.equal(expected[kind].type);
      expect(pair.signingKey.curve).to.equal(expected[kind].curve);
      expect(pair.signingKey.bits).to.equal(expected[kind].bits);
      expect(pair.signingKey.keyObject.type).to.equal("private");
      expect(pair.publicKey.type).to.equal("public");
      const data = Buffer.from("string to sign");
      const signature = sign("sha256", data, pair.signingKey.keyObject);
      const pub = pair.publicKey;
      expect(verify("sha256", data, pub, signature)).to.equal(true);
      expect(verify("sha256", Buffer.from("other"), pub, signature)).to.equal(false);
      expect(createPublicKey(pair.signingKey.keyObject).export({ type: "spki", format: "der" })).to.deep.equal(
        pub.export({ type: "spki", format: "der" }),
      );
    });
  }

  it("makes a different key each time", async () => {
    const a = await generateKeyPair("ec-p256");
    const b = await generateKeyPair("ec-p256");
    const spki = (k: KeyObject) => createPublicKey(k).export({ type: "spki", format: "der" }).toString("hex");
    expect(spki(a.signingKey.keyObject)).not.to.equal(spki(b.signingKey.keyObject));
  });

  it("rejects an unknown kind", async () => {
    let err: unknown;
    await generateKeyPair("dsa-1024" as KeyKind).catch((e: unknown) => (err = e));
    expect(err).to.be.instanceOf(TypeError);
  });
});
