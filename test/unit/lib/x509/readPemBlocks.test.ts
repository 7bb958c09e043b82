import { expect } from "chai";
import { looksLikePem, readPemBlocks } from "../../../../lib/x509/readPemBlocks.js";

describe("readPemBlocks", () => {
  it("returns blocks in order with labels, headers and decoded bytes, ignoring text between them", () => {
    const text = [
      "leading text",
      "-----BEGIN RSA PRIVATE KEY-----",
      "Proc-Type: 4,ENCRYPTED",
      "DEK-Info: AES-128-CBC,00FF",
      "",
      "aGVs",
      "bG8=",
      "-----END RSA PRIVATE KEY-----",
      "between",
      "-----BEGIN CERTIFICATE-----\r",
      "d29ybGQ=\r",
      "-----END CERTIFICATE-----",
    ].join("\n");
    const blocks = readPemBlocks(text);
    expect(blocks.map((b) => b.label)).to.deep.equal(["RSA PRIVATE KEY", "CERTIFICATE"]);
    expect(blocks[0]!.headers).to.deep.equal({ "Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-128-CBC,00FF" });
    expect(blocks[0]!.der.toString()).to.equal("hello");
    expect(blocks[1]!.der.toString()).to.equal("world");
    expect(blocks[1]!.text.startsWith("-----BEGIN CERTIFICATE-----")).to.equal(true);
  });

  const broken = [
    { what: "mismatched END label", text: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END PRIVATE KEY-----\n", count: 0 },
    { what: "a body with invalid characters", text: "-----BEGIN X-----\nAA*A\n-----END X-----\n", count: 1 },
    { what: "a body of bad length", text: "-----BEGIN X-----\nAAAAA\n-----END X-----\n", count: 1 },
  ];
  for (const b of broken) {
    it(`handles ${b.what}`, () => {
      const blocks = readPemBlocks(b.text);
      expect(blocks).to.have.length(b.count);
      for (const block of blocks) expect(block.der.length).to.equal(0);
    });
  }

  it("reads Buffers and tells PEM from binary", () => {
    expect(readPemBlocks(Buffer.from("-----BEGIN A-----\nAQI=\n-----END A-----\n"))[0]!.der).to.deep.equal(
      Buffer.from([1, 2]),
    );
    expect(looksLikePem("x\n-----BEGIN CERTIFICATE-----")).to.equal(true);
    expect(looksLikePem(Buffer.from([0x30, 0x82, 0x01]))).to.equal(false);
  });
});
