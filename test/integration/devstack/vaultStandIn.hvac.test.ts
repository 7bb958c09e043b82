import { expect } from "chai";
import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startVaultKit, type VaultKit } from "./vaultTestKit.js";
import { peers } from "../../support/peers.js";

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL("./python/hvac_kubernetes_pki.py", import.meta.url));

describe("startVaultStandIn (hvac)", function () {
  this.timeout(60_000);
  let kit: VaultKit;

  before(async function () {
    kit = await startVaultKit();
    await kit.root.write("pki/roles/sample", {
      allowed_domains: "payments.svc",
      allow_subdomains: true,
      key_type: "rsa",
      ttl: "1h",
    });
    await kit.root.write("sys/policies/acl/sample", {
      policy: 'path "pki/issue/sample" { capabilities = ["update"] }',
    });
    await kit.root.write("auth/kubernetes/role/sample", {
      bound_service_account_names: "app",
      bound_service_account_namespaces: "payments",
      token_policies: "sample",
    });
  });
  after(async () => kit?.close());

  it("logs in with hvac's kubernetes login and issues a certificate with generate_certificate, as the old sample did", async () => {
    const jwt = kit.k8s.mintToken({ namespace: "payments", serviceAccount: "app" });
    const { stdout } = await run(peers.python, [
      SCRIPT,
      kit.vault.url,
      "sample",
      jwt,
      "sample",
      "app.payments.svc",
      "pki",
    ]);
    const out = JSON.parse(stdout) as Record<string, any>;
    expect(out["api"]).to.equal("client.auth.kubernetes.login");
    expect(out["authenticated"]).to.equal(true);
    expect(out["policies"]).to.deep.equal(["default", "sample"]);
    expect(out["metadata"]).to.include({
      service_account_name: "app",
      service_account_namespace: "payments",
      role: "sample",
    });
    const cert = new X509Certificate(out["certificate"]);
    expect(cert.subject).to.equal("CN=app.payments.svc");
    expect(cert.subjectAltName).to.equal("DNS:app.payments.svc");
    expect(out["private_key_type"]).to.equal("rsa");
    expect(cert.verify(new X509Certificate(out["ca_chain"][0]).publicKey)).to.equal(true);
    const paths = kit.vault.requests.slice(-3).map((r) => `${r.method} ${r.path}`);
    expect(paths).to.deep.equal([
      "POST /v1/auth/kubernetes/login",
      "POST /v1/pki/issue/sample",
      "GET /v1/auth/token/lookup-self",
    ]);
  });

  it("surfaces Vault's error text to hvac when the role refuses the name", async () => {
    const jwt = kit.k8s.mintToken({ namespace: "payments", serviceAccount: "app" });
    const err = await run(peers.python, [
      SCRIPT,
      kit.vault.url,
      "sample",
      jwt,
      "sample",
      "evil.example.com",
      "pki",
    ]).catch((e: { stderr: string }) => e);
    expect((err as { stderr: string }).stderr).to.match(
      /hvac\.exceptions\.InvalidRequest: common name evil\.example\.com not allowed by this role/,
    );
  });
});
