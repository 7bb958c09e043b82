import { expect } from "chai";
import { rc2CbcDecrypt, rc2DecryptBlock, rc2KeySchedule } from "../../../../lib/x509/rc2CbcDecrypt.js";

describe("rc2CbcDecrypt", () => {
  // RFC 2268 §5 test vectors: key, effective key bits, plaintext, ciphertext.
  const vectors = [
    ["0000000000000000", 63, "0000000000000000", "ebb773f993278eff"],
    ["ffffffffffffffff", 64, "ffffffffffffffff", "278b27e42e2f0d49"],
    ["3000000000000000", 64, "1000000000000001", "30649edf9be7d2c2"],
    ["88", 64, "0000000000000000", "61a8a244adacccf0"],
    ["88bca90e90875a7f0f79c384627bafb2", 128, "0000000000000000", "2269552ab0f85ca6"],
  ] as const;
  for (const [key, bits, plain, cipher] of vectors) {
    it(`decrypts the RFC 2268 vector key=${key} bits=${bits}`, () => {
      const block = Buffer.from(cipher, "hex");
      rc2DecryptBlock(rc2KeySchedule(Buffer.from(key, "hex"), bits), block);
      expect(block.toString("hex")).to.equal(plain);
    });
  }

  it("rejects a ciphertext that is not a whole number of blocks, or whose padding is wrong", () => {
    const key = Buffer.from("0102030405", "hex");
    expect(() => rc2CbcDecrypt(key, 40, Buffer.alloc(8), Buffer.alloc(12))).to.throw("bad decrypt");
    expect(() => rc2CbcDecrypt(key, 40, Buffer.alloc(8), Buffer.alloc(0))).to.throw("bad decrypt");
    // a block whose decryption ends in 0x00 is not valid PKCS#7 padding; find one deterministically
    let rejected = 0;
    for (let i = 0; i < 64; i++) {
      const c = Buffer.alloc(8, i);
      try {
        rc2CbcDecrypt(key, 40, Buffer.alloc(8), c);
      } catch (e) {
        expect((e as Error).message, "only a padding refusal counts").to.contain("bad decrypt");
        rejected++;
      }
    }
    expect(rejected).to.be.greaterThan(50);
  });
});
