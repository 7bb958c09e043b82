import { expect } from "chai";
import { execFile } from "node:child_process";
import { createPublicKey } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createCsr } from "../../../../lib/x509/createCsr.js";
import { generateKeyPair, type KeyKind } from "../../../../lib/x509/generateKeyPair.js";
import { expectIamraError } from "../../../support/expectIamraError.js";

const run = promisify(execFile);

describe("createCsr", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-csr-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** `openssl req -verify -noout …` on the CSR; rejects only on unreadable input (a bad signature still exits 0). */
  async function openssl(pem: string, name: string, ...extra: string[]) {
    const file = join(dir, name);
    await writeFile(file, pem);
    return run("openssl", ["req", "-in", file, "-verify", "-noout", ...extra]);
  }

  const cases: Array<{ kind: KeyKind; alg: string }> = [
    { kind: "ec-p256", alg: "ecdsa-with-SHA256" },
    { kind: "ec-p384", alg: "ecdsa-with-SHA384" },
    { kind: "rsa-2048", alg: "sha256WithRSAEncryption" },
  ];
  for (const c of cases) {
    it(`makes a ${c.kind} CSR that openssl verifies, with CN, URI and DNS SANs`, async () => {
      const keyPair = await generateKeyPair(c.kind);
      const pem = await createCsr({
        keyPair,
        commonName: "payments/app",
        uriSans: ["spiffe://cluster.local/ns/payments/sa/app"],
        dnsSans: ["app.payments.svc", "app.payments.svc.cluster.local"],
      });
      expect(pem).to.match(/^-----BEGIN CERTIFICATE REQUEST-----\n[\s\S]+\n-----END CERTIFICATE REQUEST-----\n$/);
      const { stdout, stderr } = await openssl(pem, `${c.kind}.csr`, "-text");
      expect(stderr + stdout).to.match(/verify OK/i);
      expect(stdout).to.match(/Subject: CN\s?=\s?payments\/app\n/);
      expect(stdout).to.include(`Signature Algorithm: ${c.alg}`);
      expect(stdout).to.include("X509v3 Subject Alternative Name");
      expect(stdout).to.include("URI:spiffe://cluster.local/ns/payments/sa/app");
      expect(stdout).to.include("DNS:app.payments.svc, DNS:app.payments.svc.cluster.local");
      const pub = await openssl(pem, `${c.kind}-pub.csr`, "-pubkey");
      const ours = createPublicKey(keyPair.signingKey.keyObject).export({ type: "spki", format: "pem" });
      expect(pub.stdout.replace(/^verify OK\n/i, "")).to.equal(ours);
    });
  }

  it("omits the SAN extension when no SANs are given", async () => {
    const pem = await createCsr({ keyPair: await generateKeyPair("ec-p256"), commonName: "plain" });
    const { stdout } = await openssl(pem, "plain.csr", "-text");
    expect(stdout).to.match(/Subject: CN\s?=\s?plain\n/);
    expect(stdout).not.to.include("Subject Alternative Name");
  });

  it("encodes a CN with commas and plus signs as one attribute", async () => {
    const pem = await createCsr({ keyPair: await generateKeyPair("ec-p256"), commonName: "a, b+c=d" });
    const { stdout } = await openssl(pem, "odd.csr", "-subject", "-nameopt", "RFC2253");
    expect(stdout.trim()).to.equal("subject=CN=a\\, b\\+c=d");
  });

  it("is rejected by openssl when its signature is tampered with (the check above can fail)", async () => {
    const pem = await createCsr({ keyPair: await generateKeyPair("rsa-2048"), commonName: "tamper" });
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ""), "base64");
    der[der.length - 5] ^= 0xff; // inside the RSA signature
    const bad = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString("base64")}\n-----END CERTIFICATE REQUEST-----\n`;
    // OpenSSL 3.0 exits 0 either way; it says "verify OK" or "verify failure", which is what the tests above check.
    const { stdout, stderr } = await openssl(bad, "tampered.csr");
    expect(stdout + stderr).not.to.match(/verify OK/i);
    expect(stdout + stderr).to.match(/verify failure/i);
  });

  const invalid = [
    { what: "an empty common name", opts: { commonName: " " } },
    { what: "a URI SAN without scheme", opts: { commonName: "x", uriSans: ["no-scheme"] } },
    { what: "a URI SAN with spaces", opts: { commonName: "x", uriSans: ["spiffe://a b"] } },
    { what: "a DNS SAN with a slash", opts: { commonName: "x", dnsSans: ["a/b"] } },
  ];
  for (const c of invalid) {
    it(`throws CSR_INVALID for ${c.what}`, async () => {
      const keyPair = await generateKeyPair("ec-p256");
      await expectIamraError(() => createCsr({ keyPair, ...c.opts }), "CSR_INVALID");
    });
  }
});
