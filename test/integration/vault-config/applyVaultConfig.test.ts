import { expect } from "chai";
import { applyVaultConfig, planVaultConfig } from "../../../lib/vaultconfig/applyVaultConfig.js";
import { renderPlan } from "../../../lib/vaultconfig/renderPlan.js";
import type { VaultConfig } from "../../../lib/vaultconfig/VaultConfig.js";
import { expectIamraError } from "../../support/expectIamraError.js";
import { signedBy, signFor, startVaultConfigKit, uriSansOf, type VaultConfigKit } from "./vaultConfigKit.js";

type Json = Record<string, unknown>;
const data = async (kit: VaultConfigKit, path: string) => ((await kit.root.read(path))?.data ?? null) as Json | null;

describe("applyVaultConfig (devstack Vault)", () => {
  let kit: VaultConfigKit;
  let config: VaultConfig;
  let result: Awaited<ReturnType<typeof applyVaultConfig>>;

  before(async () => {
    kit = await startVaultConfigKit();
    config = kit.config();
    result = await applyVaultConfig(kit.root, config);
  });
  after(async () => kit?.close());

  it("sets up everything on an empty Vault: mounts, root, intermediate, kubernetes auth, policies, roles", async () => {
    expect(result.applied.map((c) => `${c.action} ${c.path}`)).to.deep.equal([
      "create sys/mounts/pki-root",
      "create sys/mounts/pki",
      "create sys/auth/kubernetes",
      "create pki-root/cert/ca",
      "create pki/cert/ca",
      "create auth/kubernetes/config",
      "create sys/policies/acl/iamra-demo",
      "create pki/roles/demo",
      "create auth/kubernetes/role/demo",
      "create sys/policies/acl/iamra-other",
      "create pki/roles/other",
      "create auth/kubernetes/role/other",
    ]);
    expect(result.remaining).to.deep.equal([]);
    expect(result.intermediateInstalled).to.equal(true);
    const auth = (await kit.root.read("sys/auth"))!.data as Record<string, { accessor: string; type: string }>;
    expect(auth["kubernetes/"]!.type).to.equal("kubernetes");
    expect(result.kubernetesAuthAccessor)
      .to.equal(auth["kubernetes/"]!.accessor)
      .and.match(/^auth_kubernetes_/);
    const role = (await data(kit, "pki/roles/demo"))!;
    expect(role.allowed_uri_sans).to.deep.equal([
      `spiffe://cluster.local/ns/{{identity.entity.aliases.${result.kubernetesAuthAccessor}.metadata.service_account_namespace}}/sa/{{identity.entity.aliases.${result.kubernetesAuthAccessor}.metadata.service_account_name}}`,
    ]);
    expect(role).to.include({
      allowed_uri_sans_template: true,
      client_flag: true,
      server_flag: false,
      no_store: true,
      ttl: 3600,
      max_ttl: 86400,
    });
    expect((await data(kit, "auth/kubernetes/role/other"))!).to.deep.include({
      bound_service_account_names: ["other"],
      bound_service_account_namespaces: ["demo"],
      token_policies: ["iamra-other"],
    });
    expect(String((await data(kit, "sys/policies/acl/iamra-demo"))!.policy)).to.contain('path "pki/sign/demo"');
    const intermediate = String((await data(kit, "pki/cert/ca"))!.certificate);
    expect(signedBy(intermediate, result.rootPem!)).to.equal(true);
    expect(result.rootPem).to.equal(String((await data(kit, "pki-root/cert/ca"))!.certificate).trim());
    expect(result.bindings.map((b) => [b.name, b.vaultRole, b.pkiRole, b.spiffeId])).to.deep.equal([
      ["demo", "demo", "demo", "spiffe://cluster.local/ns/demo/sa/app"],
      ["other", "other", "other", "spiffe://cluster.local/ns/demo/sa/other"],
    ]);
  });

  it("plans no changes afterwards, and a second apply changes nothing", async () => {
    const { plan } = await planVaultConfig(kit.root, config);
    expect(plan.changes).to.deep.equal([]);
    const before = kit.vault.requests.filter((r) => r.method !== "GET").length;
    const again = await applyVaultConfig(kit.root, config);
    expect(again.applied).to.deep.equal([]);
    expect(kit.vault.requests.filter((r) => r.method !== "GET").length).to.equal(before);
  });

  it("shows a widened role in the plan and restores it on apply", async () => {
    await kit.root.write("auth/kubernetes/role/demo", {
      bound_service_account_names: "app,other",
      bound_service_account_namespaces: "*",
    });
    const pkiRole = (await data(kit, "pki/roles/demo"))!;
    await kit.root.write("pki/roles/demo", { ...pkiRole, allow_any_name: true, server_flag: true });
    const { plan } = await planVaultConfig(kit.root, config);
    expect(
      plan.changes.map((c) => [
        c.action,
        c.path,
        c.diffs.map((d) => `${d.field}: ${JSON.stringify(d.from)} → ${JSON.stringify(d.to)}`),
      ]),
    ).to.deep.equal([
      ["update", "pki/roles/demo", ["allow_any_name: true → false", "server_flag: true → false"]],
      [
        "update",
        "auth/kubernetes/role/demo",
        [
          'bound_service_account_names: ["app","other"] → ["app"]',
          'bound_service_account_namespaces: ["*"] → ["demo"]',
        ],
      ],
    ]);
    expect(renderPlan(plan, kit.vault.url)).to.contain("Plan: 2 to update.");
    const fixed = await applyVaultConfig(kit.root, config);
    expect(fixed.applied.map((c) => c.path)).to.deep.equal(["pki/roles/demo", "auth/kubernetes/role/demo"]);
    expect((await data(kit, "auth/kubernetes/role/demo"))!).to.deep.include({
      bound_service_account_names: ["app"],
      bound_service_account_namespaces: ["demo"],
    });
    expect((await data(kit, "pki/roles/demo"))!).to.include({ allow_any_name: false, server_flag: false });
    expect((await planVaultConfig(kit.root, config)).plan.changes).to.deep.equal([]);
  });

  it("deletes only what the config lists under remove", async () => {
    await kit.root.write("pki/roles/legacy", { allow_any_name: true });
    await kit.root.write("pki/roles/unmanaged", { allow_any_name: true });
    const withRemoval = { ...config, remove: { ...config.remove, pkiRoles: ["legacy", "never-existed"] } };
    const { plan } = await planVaultConfig(kit.root, withRemoval);
    expect(plan.changes.map((c) => `${c.action} ${c.path}`)).to.deep.equal(["delete pki/roles/legacy"]);
    await applyVaultConfig(kit.root, withRemoval);
    expect(await kit.root.read("pki/roles/legacy")).to.equal(null);
    expect(await kit.root.read("pki/roles/unmanaged")).to.not.equal(null);
  });

  describe("identity binding", () => {
    it("gives service account A a certificate naming A, chained to the root", async () => {
      const a = await kit.login("demo", "app", "demo");
      const info = await a.lookupSelf();
      expect(info.policies).to.deep.equal(["iamra-demo"]);
      const cert = await signFor(a, "demo", "demo", "app");
      expect(uriSansOf(cert.certificatePem)).to.deep.equal(["spiffe://cluster.local/ns/demo/sa/app"]);
      expect(signedBy(cert.certificatePem, cert.issuingCaPem)).to.equal(true);
      expect(signedBy(cert.issuingCaPem, result.rootPem!)).to.equal(true);
    });

    it("refuses a certificate naming A to service account B, whatever role B uses", async () => {
      const b = await kit.login("demo", "other", "other");
      const refused = await expectIamraError(() => signFor(b, "other", "demo", "app"), "VAULT_PKI_REFUSED");
      expect(refused.message).to.match(
        /URI Subject Alternative Names were provided via CSR which are not valid for this role|not allowed by this role/,
      );
      // B's token may not use A's PKI role at all
      const denied = await expectIamraError(() => signFor(b, "demo", "demo", "app"), "VAULT_PKI_DENIED");
      expect(denied.status).to.equal(403);
      // B cannot log in with A's kubernetes role
      const login = await kit.login("demo", "other", "demo").then(
        () => undefined,
        (e: unknown) => e as { status?: number; message: string },
      );
      expect(login?.status).to.equal(403);
      expect(login?.message).to.contain("service account name not authorized");
      // and B still gets its own identity
      expect(uriSansOf((await signFor(b, "other", "demo", "other")).certificatePem)).to.deep.equal([
        "spiffe://cluster.local/ns/demo/sa/other",
      ]);
    });

    it("refuses a CN that is not the caller's <sa>.<ns>", async () => {
      const a = await kit.login("demo", "app", "demo");
      const { podCsr } = await import("./vaultConfigKit.js");
      const { csrPem } = await podCsr("other.demo", "spiffe://cluster.local/ns/demo/sa/app");
      const err = await expectIamraError(
        () => a.pkiSign({ mount: "pki", role: "demo", csrPem, commonName: "other.demo" }),
        "VAULT_PKI_REFUSED",
      );
      expect(err.message).to.contain("common name other.demo not allowed by this role");
    });
  });
});

describe("vault-config/operator-policy.hcl (devstack Vault)", () => {
  let kit: VaultConfigKit;
  before(async () => (kit = await startVaultConfigKit()));
  after(async () => kit?.close());

  it("is enough to apply the dev config on an empty Vault and plan it clean, and grants nothing beyond its paths", async () => {
    const { readFile } = await import("node:fs/promises");
    const { vaultClient } = await import("./vaultConfigKit.js");
    const policy = await readFile(new URL("../../../vault-config/operator-policy.hcl", import.meta.url), "utf8");
    await kit.root.write("sys/policies/acl/vault-config-operator", { policy });
    const created = await kit.root.write("auth/token/create", {
      policies: ["vault-config-operator"],
      no_default_policy: true,
      ttl: "1h",
    });
    const operator = vaultClient(kit.vault.url);
    try {
      operator.useToken(String((created!.auth as { client_token: string }).client_token));
      const config = kit.config();
      const result = await applyVaultConfig(operator, config);
      expect(result.applied).to.have.length(12);
      expect(result.remaining).to.deep.equal([]);
      expect((await planVaultConfig(operator, config)).plan.changes).to.deep.equal([]);
      const denied = await operator
        .write("sys/policies/acl/admin", { policy: 'path "*" { capabilities = ["sudo"] }' })
        .then(
          () => undefined,
          (e: { status?: number }) => e,
        );
      expect(denied?.status).to.equal(403);
      const otherMount = await operator.write("sys/mounts/secret", { type: "pki" }).then(
        () => undefined,
        (e: { status?: number }) => e,
      );
      expect(otherMount?.status).to.equal(403);
    } finally {
      operator.close();
    }
  });
});
