import { X509Certificate } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { makeOfflineRoot } from "../../integration/vault-config/offlineRoot.js";
import { startOpenBaoStack, type OpenBaoStack } from "../../support/openbaoStack.js";

const BUNDLED_DEV_CONFIG = fileURLToPath(new URL("../../../devstack/vault-config.dev.yaml", import.meta.url));

/** Certificates of a PEM bundle, in order. */
function certificatesOf(bundle: string): X509Certificate[] {
  const pems = bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return pems.map((p) => new X509Certificate(p));
}

describe("iamra-vault vault-config against a real OpenBao server", function () {
  this.timeout(90_000);
  let s: OpenBaoStack;

  before(async () => {
    s = await startOpenBaoStack();
  });
  after(async () => s?.close());

  it("apply on an empty server creates the whole setup, and plan then shows no changes", async () => {
    const pending = await s.vaultConfig(["plan", "--exit-code"]);
    expect(pending.code, pending.stderr).to.equal(2);
    expect(pending.stdout).to.contain("Plan: 12 to create.");

    const applied = await s.vaultConfig(["apply"]);
    expect(applied.code, applied.stderr).to.equal(0);
    expect(applied.stdout).to.match(/^Applied 12 change\(s\) to Vault at /);
    const clean = await s.vaultConfig(["plan", "--exit-code"]);
    expect(clean.code, clean.stdout).to.equal(0);
    expect(clean.stdout).to.equal(`Vault at ${s.bao.url} matches the config. No changes.\n`);
    const again = await s.vaultConfig(["apply"]);
    expect(again.code).to.equal(0);
    expect(again.stdout).to.contain("already matches the config. Nothing to do.");

    // what the server holds: templates keyed by the real accessor, the CA as given, a working kubernetes login
    const accessor = (await s.bao.api("GET", "sys/auth")).body.data["kubernetes/"].accessor as string;
    expect(accessor).to.match(/^auth_kubernetes_[0-9a-f]{8}$/);
    const role = (await s.bao.api("GET", "pki/roles/demo")).body.data;
    expect(role.allowed_uri_sans).to.deep.equal([
      `spiffe://cluster.local/ns/{{identity.entity.aliases.${accessor}.metadata.service_account_namespace}}` +
        `/sa/{{identity.entity.aliases.${accessor}.metadata.service_account_name}}`,
    ]);
    const k8sConfig = (await s.bao.api("GET", "auth/kubernetes/config")).body.data;
    expect(k8sConfig.kubernetes_ca_cert).to.equal(s.k8s.caCertPem!.trim());
    expect(k8sConfig.token_reviewer_jwt_set).to.equal(true);
    const jwt = s.k8s.mintToken({ namespace: "demo", serviceAccount: "app" });
    const login = await s.bao.api("POST", "auth/kubernetes/login", { role: "demo", jwt }, "");
    expect(login.status, JSON.stringify(login.body)).to.equal(200);
    expect(login.body.auth.policies).to.deep.equal(["iamra-demo"]);
  });

  it("shows a widened role as drift (plan --exit-code exits 2), and apply restores it", async () => {
    const widen = await s.bao.api("POST", "auth/kubernetes/role/demo", { bound_service_account_namespaces: "*" });
    expect(widen.status).to.be.oneOf([200, 204]);
    const pkiRole = (await s.bao.api("GET", "pki/roles/demo")).body.data;
    const anyName = await s.bao.api("POST", "pki/roles/demo", { ...pkiRole, allow_any_name: true });
    expect(anyName.status).to.be.oneOf([200, 204]);

    const drift = await s.vaultConfig(["plan", "--exit-code"]);
    expect(drift.code).to.equal(2);
    expect(drift.stdout).to.contain(
      "~ update kubernetes auth role auth/kubernetes/role/demo\n" +
        '      bound_service_account_namespaces: ["*"] → ["demo"]',
    );
    expect(drift.stdout).to.contain("~ update PKI role pki/roles/demo\n      allow_any_name: true → false\n");
    expect(drift.stdout).to.contain("Plan: 2 to update.");

    const restored = await s.vaultConfig(["apply"]);
    expect(restored.code, restored.stderr).to.equal(0);
    const k8sRole = (await s.bao.api("GET", "auth/kubernetes/role/demo")).body.data;
    expect(k8sRole.bound_service_account_namespaces).to.deep.equal(["demo"]);
    expect((await s.bao.api("GET", "pki/roles/demo")).body.data.allow_any_name).to.equal(false);
    expect((await s.vaultConfig(["plan", "--exit-code"])).code).to.equal(0);
  });

  it("export names the development root mount's CA as the trust anchor", async () => {
    const out = join(s.dir, "aws-dev");
    const run = await s.vaultConfig(["export", "--out-dir", out]);
    expect(run.code, run.stderr).to.equal(0);
    const anchor = new X509Certificate(await readFile(join(out, "trust-anchor.pem"), "utf8"));
    const rootCa = new X509Certificate((await s.bao.api("GET", "pki-root/cert/ca")).body.data.certificate as string);
    expect(anchor.fingerprint256).to.equal(rootCa.fingerprint256);
    const chain = certificatesOf((await s.bao.api("GET", "pki/cert/ca_chain")).body.data.ca_chain as string);
    expect(chain.at(-1)!.fingerprint256, "the intermediate's chain ends at that root").to.equal(rootCa.fingerprint256);
  });

  it("stops with VAULT_CONFIG_KUBERNETES_CA_MISSING for the bundled config (no CA) outside Kubernetes", async () => {
    await s.bao.restart();
    const run = await s.vaultConfig(["apply"], BUNDLED_DEV_CONFIG);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain("[VAULT_CONFIG_KUBERNETES_CA_MISSING]").and.contain("caCertFile");
    // the same config with the cluster's CA (as the devstack passes it) converges on the same server
    const withCa = join(s.dir, "dev-with-ca.yaml");
    const text = await readFile(BUNDLED_DEV_CONFIG, "utf8");
    const flag = "disableIssValidation: true";
    await writeFile(withCa, text.replace(flag, `${flag}\n    caCertFile: k8s-ca.pem`));
    expect((await s.vaultConfig(["apply"], withCa)).code).to.equal(0);
    expect((await s.vaultConfig(["plan", "--exit-code"], withCa)).code).to.equal(0);
  });

  it("runs the subordinate-CA flow with an openssl root, and export's trust anchor is that root", async () => {
    await s.bao.restart();
    const file = join(s.dir, "external.yaml");
    const text = await readFile(s.configFile, "utf8");
    await writeFile(file, text.replace(/ {4}signedBy:\n(?: {6}.*\n)+/, "    signedBy:\n      type: external\n"));
    expect(await readFile(file, "utf8"))
      .to.contain("type: external")
      .and.not.contain("pki-root");

    const csrFile = join(s.dir, "int.csr");
    const first = await s.vaultConfig(["apply", "--csr-out", csrFile], file);
    expect(first.code, first.stderr).to.equal(0);
    const csr = await readFile(csrFile, "utf8");
    expect(csr).to.match(/^-----BEGIN CERTIFICATE REQUEST-----/);
    expect(first.stdout).to.contain(csr.trim());
    const waiting = await s.vaultConfig(["plan", "--exit-code"], file);
    expect(waiting.code).to.equal(2);
    expect(waiting.stdout).to.contain("+ create intermediate CA pki/cert/ca").and.contain("Plan: 1 to create.");

    const root = await makeOfflineRoot(s.dir, "openssl-root");
    await writeFile(join(s.dir, "int.pem"), await root.sign(csr));
    const rootFile = join(s.dir, "openssl-root.pem");
    const signed = join(s.dir, "int.pem");
    const second = await s.vaultConfig(["apply", "--signed-intermediate", signed, "--root", rootFile], file);
    expect(second.code, second.stderr).to.equal(0);
    expect((await s.vaultConfig(["plan", "--exit-code"], file)).code).to.equal(0);

    const out = join(s.dir, "aws-external");
    expect((await s.vaultConfig(["export", "--out-dir", out], file)).code).to.equal(0);
    const rootCert = new X509Certificate(root.pem);
    const anchor = new X509Certificate(await readFile(join(out, "trust-anchor.pem"), "utf8"));
    expect(anchor.fingerprint256).to.equal(rootCert.fingerprint256);

    // a pod's certificate from the server chains through the installed intermediate to the openssl root
    const jwt = s.k8s.mintToken({ namespace: "demo", serviceAccount: "app" });
    const login = await s.bao.api("POST", "auth/kubernetes/login", { role: "demo", jwt }, "");
    const token = login.body.auth.client_token as string;
    const request = { common_name: "app.demo", uri_sans: "spiffe://cluster.local/ns/demo/sa/app" };
    const issued = await s.bao.api("POST", "pki/issue/demo", request, token);
    expect(issued.status, JSON.stringify(issued.body)).to.equal(200);
    const [leaf] = certificatesOf(issued.body.data.certificate as string);
    const chain = (issued.body.data.ca_chain as string[]).map((p) => new X509Certificate(p));
    expect(leaf!.verify(chain[0]!.publicKey), "leaf signed by the intermediate").to.equal(true);
    expect(chain.at(-1)!.fingerprint256, "ca_chain ends at the openssl root").to.equal(rootCert.fingerprint256);
  });
});
