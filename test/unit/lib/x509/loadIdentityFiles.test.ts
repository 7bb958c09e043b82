import { expect } from "chai";
import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadIdentityFiles } from "../../../../lib/x509/loadIdentityFiles.js";
import { ConfigError } from "../../../../lib/errors.js";
import { expectIamraError } from "../../../support/expectIamraError.js";

const PKI = fileURLToPath(new URL("../../../fixtures/roles-anywhere/pki/", import.meta.url));
const deps = { readFile: (p: string) => readFile(p), nowMs: Date.UTC(2027, 0, 1) };

describe("loadIdentityFiles", () => {
  it("loads PEM certificate, key and intermediates as before", async () => {
    const id = await loadIdentityFiles(
      {
        certificate: `${PKI}ec-leaf-cert.pem`,
        privateKey: `${PKI}ec-leaf-key.pem`,
        intermediates: `${PKI}ec-chain.pem`,
      },
      deps,
    );
    expect(id.key.curve).to.equal("P-256");
    expect(id.chain.map((c) => c.subject)).to.deep.equal(["CN=RA Test EC Intermediate"]);
  });

  it("reads a non-PEM --certificate without --private-key as PKCS#12: chain = [leaf, CA], the official helper's layout", async () => {
    const id = await loadIdentityFiles({ certificate: `${PKI}rsa-leaf.p12` }, deps);
    const leaf = new X509Certificate(await readFile(`${PKI}rsa-leaf-cert.pem`));
    expect(id.certificate.raw.equals(leaf.raw)).to.equal(true);
    expect(id.chain.map((c) => c.subject)).to.deep.equal([leaf.subject, "CN=RA Test Root CA"]);
    expect(id.chain[0]!.raw.equals(leaf.raw)).to.equal(true);
    expect(id.key.type).to.equal("rsa");
  });

  it("uses the password for a protected PKCS#12 file and fails with PKCS12_MAC_INVALID without it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "iamra-lif-"));
    try {
      const out = join(dir, "pw.p12");
      await promisify(execFile)("openssl", [
        "pkcs12",
        "-export",
        "-inkey",
        `${PKI}ec-leaf-key.pem`,
        "-in",
        `${PKI}ec-leaf-cert.pem`,
        "-certfile",
        `${PKI}ec-chain.pem`,
        "-passout",
        "pass:pw",
        "-out",
        out,
      ]);
      const id = await loadIdentityFiles({ certificate: out, password: "pw" }, deps);
      expect(id.chain.map((c) => c.subject)).to.deep.equal(["CN=ra-test-ec-leaf", "CN=RA Test EC Intermediate"]);
      await expectIamraError(() => loadIdentityFiles({ certificate: out }, deps), "PKCS12_MAC_INVALID");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("requires --private-key for a PEM certificate (ConfigError, exit 2)", async () => {
    const err = await expectIamraError(
      () => loadIdentityFiles({ certificate: `${PKI}ec-leaf-cert.pem` }, deps),
      "CONFIG_INVALID",
    );
    expect(err).to.be.instanceOf(ConfigError);
    expect(err.message).to.equal("--private-key is required unless --certificate is a PKCS#12 file");
  });

  it("refuses --intermediates together with a PKCS#12 certificate (ConfigError)", async () => {
    const err = await expectIamraError(
      () => loadIdentityFiles({ certificate: `${PKI}rsa-leaf.p12`, intermediates: `${PKI}ec-chain.pem` }, deps),
      "CONFIG_INVALID",
    );
    expect(err).to.be.instanceOf(ConfigError);
    expect(err.message).to.contain("--intermediates");
  });
});
