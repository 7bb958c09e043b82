import { expect } from "chai";
import { loadPkcs12 } from "../../../../lib/x509/loadPkcs12.js";
import { expectIamraError } from "../../../support/expectIamraError.js";
import { OID, opensslPkcs12Files, pem } from "./pkcs12TestKit.js";

describe("loadPkcs12", function () {
  this.timeout(30_000);
  const files = opensslPkcs12Files();

  const refused = [
    {
      name: "an RC2-128 key bag",
      bag: "private key bag",
      opts: ["-keypbe", "PBE-SHA1-RC2-128", "-certpbe", "PBE-SHA1-3DES"],
      oid: "rc2_128",
      alg: "pbeWithSHAAnd128BitRC2-CBC",
    },
    {
      name: "2-key 3DES certificate bags",
      bag: "certificate bag",
      opts: ["-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-2DES"],
      oid: "des2",
      alg: "pbeWithSHAAnd2-KeyTripleDES-CBC",
    },
  ] as const;
  for (const c of refused) {
    it(`refuses ${c.name} with PKCS12_UNSUPPORTED_ALGORITHM and the openssl command that re-exports with AES`, async function () {
      if (!files.legacyProvider) {
        console.log("      (skipped: this openssl has no legacy provider, so it cannot write the RC2 test file)");
        this.skip();
      }
      const der = await files.exportP12(`refused-${c.oid}.p12`, "ec", "x", "-legacy", ...c.opts, "-macalg", "sha256");
      expect(der.toString("hex"), `file uses ${c.oid}`).to.contain(OID[c.oid]);
      const err = await expectIamraError(
        () => loadPkcs12(der, { password: "x", source: "old.p12" }),
        "PKCS12_UNSUPPORTED_ALGORITHM",
      );
      expect(err.message).to.contain(`The ${c.bag} in old.p12`).and.contain(c.alg);
      expect(err.hint).to.contain("openssl pkcs12 -export -keypbe AES-256-CBC -certpbe AES-256-CBC -macalg sha256");
    });
  }

  it("refuses a SHA-224 MAC with PKCS12_UNSUPPORTED_ALGORITHM and the openssl command that re-exports with SHA-256", async () => {
    const der = await files.exportP12("mac-sha224.p12", "ec", "x", "-macalg", "sha224");
    expect(der.toString("hex"), "file uses sha224").to.contain("0609608648016503040204");
    const err = await expectIamraError(
      () => loadPkcs12(der, { password: "x", source: "sha224.p12" }),
      "PKCS12_UNSUPPORTED_ALGORITHM",
    );
    expect(err.message).to.contain("sha224.p12").and.contain("2.16.840.1.101.3.4.2.4");
    expect(err.hint).to.contain("-macalg sha256");
  });

  it("fails with PKCS12_MAC_INVALID on a wrong password (legacy and default files), naming the file but not the password", async () => {
    const legacy = await files.exportP12(
      "wrong-legacy.p12",
      "rsa",
      "right-one",
      "-keypbe",
      "PBE-SHA1-3DES",
      "-certpbe",
      "PBE-SHA1-3DES",
      "-macalg",
      "sha1",
    );
    const modern = await files.exportP12("wrong-modern.p12", "ec", "right-one");
    const a = await expectIamraError(
      () => loadPkcs12(legacy, { password: "wrong-one", source: "wrong-legacy.p12" }),
      "PKCS12_MAC_INVALID",
    );
    const b = await expectIamraError(
      () => loadPkcs12(modern, { password: "wrong-one", source: "wrong-modern.p12" }),
      "PKCS12_MAC_INVALID",
    );
    expect(a.message).to.contain("wrong-legacy.p12").and.contain("HMAC-SHA1");
    expect(b.message).to.contain("HMAC-SHA256");
    for (const e of [a, b]) {
      expect(JSON.stringify(e.toJSON())).to.not.contain("wrong-one").and.not.contain("right-one");
      expect(e.hint).to.contain("IAMRA_PKCS8_PASSWORD");
    }
  });

  it("fails with PKCS12_MAC_INVALID and a hint to give the password when a protected file is read with none", async () => {
    const der = await files.exportP12("needs-pw.p12", "ec", "s3cret");
    const err = await expectIamraError(() => loadPkcs12(der, { source: "needs-pw.p12" }), "PKCS12_MAC_INVALID");
    expect(err.hint).to.contain("--pkcs8-password-file");
  });

  it("fails with PKCS12_DECRYPT_FAILED on a wrong password when the file has no MAC", async () => {
    const der = await files.exportP12("nomac-wrong.p12", "ec", "right", "-nomac");
    await expectIamraError(
      () => loadPkcs12(der, { password: "wrong", source: "nomac-wrong.p12" }),
      "PKCS12_DECRYPT_FAILED",
    );
  });

  it("rejects garbage, PEM text and a truncated file with PKCS12_INVALID naming the source", async () => {
    const good = await files.exportP12("good.p12", "ec", "");
    const inputs = [
      Buffer.from("not a pkcs12 file at all \x00\x01\x02"),
      Buffer.from(pem("rsa-leaf-cert.pem")),
      good.subarray(0, good.length - 40),
    ];
    for (const input of inputs) {
      const err = await expectIamraError(() => loadPkcs12(input, { source: "bad.p12" }), "PKCS12_INVALID");
      expect(err.message).to.contain("bad.p12");
    }
  });

  it("rejects a file without a private key with PKCS12_INVALID", async () => {
    const der = await files.exportP12("nokey.p12", "ec", "", "-nokeys");
    const err = await expectIamraError(() => loadPkcs12(der, { source: "nokey.p12" }), "PKCS12_INVALID");
    expect(err.message).to.contain("0 private keys");
  });
});
