import { X509Certificate } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { ConfigError } from "../../../lib/errors.js";
import { applyVaultConfig, planVaultConfig } from "../../../lib/vaultconfig/applyVaultConfig.js";
import { buildExportArtifacts } from "../../../lib/vaultconfig/buildExportArtifacts.js";
import { readTrustAnchor } from "../../../lib/vaultconfig/readTrustAnchor.js";
import type { VaultConfig } from "../../../lib/vaultconfig/VaultConfig.js";
import { EXTERNAL_CONFIG_TEXT, makeOfflineRoot } from "./offlineRoot.js";
import { signedBy, signFor, startVaultConfigKit, uriSansOf, type VaultConfigKit } from "./vaultConfigKit.js";

describe("vault-config subordinate CA (external root)", () => {
  let kit: VaultConfigKit;
  let dir: string;
  let config: VaultConfig;
  let root: Awaited<ReturnType<typeof makeOfflineRoot>>;
  let csrPem: string;
  let intermediatePem: string;

  before(async () => {
    kit = await startVaultConfigKit();
    dir = await mkdtemp(join(tmpdir(), "iamra-vault-config-"));
    config = kit.config(EXTERNAL_CONFIG_TEXT);
    root = await makeOfflineRoot(dir);
  });
  after(async () => {
    await kit?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("plans the intermediate as pending an external signature, with no root mount", async () => {
    expect(config.pki.intermediate.signedBy).to.deep.equal({ type: "external" });
    const { plan } = await planVaultConfig(kit.root, config);
    const ca = plan.changes.find((c) => c.kind === "pki-intermediate-ca")!;
    expect(ca.note).to.contain("apply --signed-intermediate");
    expect(plan.changes.map((c) => c.path)).to.not.include("sys/mounts/pki-root");
  });

  it("first apply configures everything and emits the intermediate CSR", async () => {
    const first = await applyVaultConfig(kit.root, config);
    expect(first.intermediateInstalled).to.equal(false);
    expect(first.pendingCsrPem).to.match(/^-----BEGIN CERTIFICATE REQUEST-----/);
    expect(first.remaining).to.deep.equal([]);
    expect(first.rootPem).to.equal(undefined);
    csrPem = first.pendingCsrPem!;
    const { plan } = await planVaultConfig(kit.root, config);
    expect(plan.changes.map((c) => `${c.action} ${c.kind}`)).to.deep.equal(["create pki-intermediate-ca"]);
  });

  it("refuses an intermediate signed by another root, touching nothing", async () => {
    const other = await makeOfflineRoot(dir, "other");
    const wrong = await other.sign(csrPem);
    const writes = kit.vault.requests.filter((r) => r.method !== "GET").length;
    const err = await applyVaultConfig(kit.root, config, {
      signedIntermediate: { certificatePem: wrong, rootPem: root.pem },
    }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ConfigError);
    expect((err as ConfigError).message).to.contain("is not signed by any certificate in --root");
    expect(kit.vault.requests.filter((r) => r.method !== "GET").length).to.equal(writes);
  });

  it("second apply installs the externally signed intermediate with its root, then nothing is pending", async () => {
    intermediatePem = await root.sign(csrPem);
    const second = await applyVaultConfig(kit.root, config, {
      signedIntermediate: { certificatePem: intermediatePem, rootPem: root.pem },
    });
    expect(second.applied.map((c) => c.kind)).to.deep.equal(["pki-intermediate-ca"]);
    expect(second.intermediateInstalled).to.equal(true);
    expect(new X509Certificate(second.rootPem!).fingerprint256).to.equal(new X509Certificate(root.pem).fingerprint256);
    expect((await planVaultConfig(kit.root, config)).plan.changes).to.deep.equal([]);
  });

  it("issues leaf certificates that chain through the intermediate to the external root", async () => {
    const a = await kit.login("demo", "app", "demo");
    const leaf = await signFor(a, "demo", "demo", "app");
    expect(uriSansOf(leaf.certificatePem)).to.deep.equal(["spiffe://cluster.local/ns/demo/sa/app"]);
    expect(new X509Certificate(leaf.issuingCaPem).fingerprint256).to.equal(
      new X509Certificate(intermediatePem).fingerprint256,
    );
    expect(signedBy(leaf.certificatePem, intermediatePem)).to.equal(true);
    expect(signedBy(intermediatePem, root.pem)).to.equal(true);
    const chainRoot = leaf.caChainPems[leaf.caChainPems.length - 1]!;
    expect(new X509Certificate(chainRoot).fingerprint256).to.equal(new X509Certificate(root.pem).fingerprint256);
    const ext = new X509Certificate(leaf.certificatePem);
    expect(ext.ca).to.equal(false);
  });

  it("exports that external root as the trust anchor", async () => {
    const anchor = await readTrustAnchor(kit.root, config);
    const files = buildExportArtifacts(config, anchor!);
    expect(new X509Certificate(files["trust-anchor.pem"]!).fingerprint256).to.equal(
      new X509Certificate(root.pem).fingerprint256,
    );
    const body = JSON.parse(files["trust-anchor.json"]!);
    expect(new X509Certificate(body.source.sourceData.x509CertificateData).fingerprint256).to.equal(
      new X509Certificate(root.pem).fingerprint256,
    );
  });

  it("ignores --signed-intermediate once the intermediate is installed, and says so", async () => {
    const again = await applyVaultConfig(kit.root, config, {
      signedIntermediate: { certificatePem: intermediatePem, rootPem: root.pem },
    });
    expect(again.applied).to.deep.equal([]);
    expect(again.notes).to.deep.equal([
      "--signed-intermediate was not used: the intermediate CA was already installed",
    ]);
  });
});
