/** Contract: sys/health, seal/unseal, error envelopes and vault-config's reads, on the stand-in and on OpenBao. */
import { X509Certificate } from "node:crypto";
import { expect } from "chai";
import { planVaultConfig } from "../../../lib/vaultconfig/applyVaultConfig.js";
import { describeEachTarget, rejectionOf } from "./contractHarness.js";

const HEALTH_KEYS_UNSEALED = [
  "cluster_id",
  "cluster_name",
  "initialized",
  "replication_dr_mode",
  "replication_performance_mode",
  "sealed",
  "server_time_utc",
  "standby",
  "version",
];

describeEachTarget("sys/health, seal and unseal", (ctx) => {
  it("answers 200 with the health body when active and unsealed; the product reads it", async () => {
    const { status, body, text } = await ctx().target.raw("GET", "sys/health", undefined, null);
    expect(status).to.equal(200);
    expect(text.endsWith("\n")).to.equal(true);
    expect(Object.keys(body).sort()).to.deep.equal(HEALTH_KEYS_UNSEALED);
    expect(body).to.include({ initialized: true, sealed: false, standby: false });
    expect(body.server_time_utc).to.be.closeTo(Date.now() / 1000, 30);
    const health = await ctx().client().health();
    expect(health).to.deep.include({ initialized: true, sealed: false, standby: false });
    expect(health.version).to.equal(body.version);
  });

  it("honours the code overrides (activecode) and refuses a non-numeric one with 400", async () => {
    const custom = await ctx().target.raw("GET", "sys/health?activecode=299&standbyok=true", undefined, null);
    expect(custom.status).to.equal(299);
    const bad = await ctx().target.raw("GET", "sys/health?activecode=abc", undefined, null);
    expect([bad.status, bad.body]).to.deep.equal([400, { errors: [] }]);
  });

  it("HEAD sys/health gives the status without a body", async () => {
    const { status, text } = await ctx().target.raw("HEAD", "sys/health", undefined, null);
    expect([status, text]).to.deep.equal([200, ""]);
  });

  it("seals: 204, health 503 (sealedcode overrides), every call 503 'Vault is sealed'; unseal restores", async () => {
    const t = ctx().target;
    const sealed = await t.seal();
    expect([sealed.status, sealed.text]).to.deep.equal([204, ""]);
    try {
      const health = await t.raw("GET", "sys/health", undefined, null);
      expect(health.status).to.equal(503);
      expect(health.body).to.include({ initialized: true, sealed: true });
      expect(health.body).to.not.have.property("cluster_name");
      const overridden = await t.raw("GET", "sys/health?standbyok=true&sealedcode=200&uninitcode=200", undefined, null);
      expect(overridden.status).to.equal(200);
      expect((await ctx().client().health()).sealed).to.equal(true);
      const lookup = await t.raw("GET", "auth/token/lookup-self");
      expect([lookup.status, lookup.body]).to.deep.equal([503, { errors: ["Vault is sealed"] }]);
      const jwt = ctx().jwt("payments", "app");
      const login = await t.raw("POST", "auth/kubernetes/login", { role: "app", jwt }, null);
      expect([login.status, login.body]).to.deep.equal([503, { errors: ["Vault is sealed"] }]);
      const err = await rejectionOf(
        ctx()
          .client()
          .loginKubernetes({ role: "app", jwt: ctx().jwt("payments", "app") }),
      );
      expect([err.code, err.retryable]).to.deep.equal(["VAULT_SEALED", true]);
      const status = await t.raw("GET", "sys/seal-status", undefined, null);
      expect(status.body).to.include({ type: "shamir", initialized: true, sealed: true, t: 1, n: 1 });
    } finally {
      const unsealed = await t.unseal();
      expect(unsealed.status).to.equal(200);
      expect(unsealed.body.sealed).to.equal(false);
    }
    expect((await t.raw("GET", "sys/health", undefined, null)).status).to.equal(200);
    const client = await ctx().login("payments", "app");
    expect((await client.lookupSelf()).policies).to.deep.equal(["iamra-app"]);
  });
});

describeEachTarget("error envelopes", (ctx) => {
  it("answers a request without a token, or with an unknown one, with 403 'permission denied'", async () => {
    for (const token of [null, "s.unknownunknownunknown12"]) {
      const r = await ctx().target.raw("GET", "auth/token/lookup-self", undefined, token);
      expect([r.status, r.body], String(token)).to.deep.equal([403, { errors: ["permission denied"] }]);
    }
    const client = ctx().client();
    client.useToken("s.unknownunknownunknown12");
    const err = await rejectionOf(client.lookupSelf());
    expect(err.code).to.equal("VAULT_TOKEN_INVALID");
  });

  it("answers an unmounted path with 404 'no handler for route'", async () => {
    const r = await ctx().target.raw("GET", "nomount/x");
    expect([r.status, r.body]).to.deep.equal([
      404,
      { errors: ['no handler for route "nomount/x". route entry not found.'] },
    ]);
  });

  it("answers a read of a missing object with 404 and no messages; the product's read gives null", async () => {
    const r = await ctx().target.raw("GET", "pki/roles/nope");
    expect([r.status, r.body]).to.deep.equal([404, { errors: [] }]);
    expect(await ctx().root.read("pki/roles/nope")).to.equal(null);
    expect(await ctx().root.read("auth/kubernetes/role/nope")).to.equal(null);
    expect(await ctx().root.read("sys/policies/acl/nope")).to.equal(null);
  });

  it("warns about unknown parameters on PKI writes (200), not on sys/ or kubernetes auth writes (204)", async () => {
    const policy = { policy: 'path "x" { capabilities = ["read"] }', bogus: 1 };
    const quiet = await ctx().target.raw("POST", "sys/policies/acl/contract-extra", policy);
    expect([quiet.status, quiet.text]).to.deep.equal([204, ""]);
    const role = {
      bound_service_account_names: "x",
      bound_service_account_namespaces: "y",
      audience: "vault",
      bogus: 1,
    };
    const k8sRole = await ctx().target.raw("POST", "auth/kubernetes/role/contract-extra", role);
    expect([k8sRole.status, k8sRole.text]).to.deep.equal([204, ""]);
    const pkiRole = await ctx().target.raw("POST", "pki/roles/contract-extra", { allow_any_name: true, bogus: 1 });
    expect(pkiRole.status).to.equal(200);
    expect(pkiRole.body.warnings).to.deep.equal(["Endpoint ignored these unrecognized parameters: [bogus]"]);
  });

  it("refuses a policy write without a policy with 400", async () => {
    const r = await ctx().target.raw("POST", "sys/policies/acl/contract-empty", {});
    expect([r.status, r.body]).to.deep.equal([400, { errors: ["'policy' parameter not supplied or empty"] }]);
  });
});

describeEachTarget("vault-config's reads and writes", (ctx) => {
  it("converges: apply leaves nothing to do and a new plan is empty", async () => {
    expect(ctx().applied.remaining.map((c) => `${c.action} ${c.path}`)).to.deep.equal([]);
    expect(ctx().applied.intermediateInstalled).to.equal(true);
    const { plan } = await planVaultConfig(ctx().root, ctx().config);
    expect(plan.changes.map((c) => `${c.action} ${c.path} ${c.diffs.map((d) => d.field).join(",")}`)).to.deep.equal([]);
  });

  it("reads mounts and the kubernetes auth accessor from sys/mounts and sys/auth", async () => {
    const mounts = await ctx().target.raw("GET", "sys/mounts");
    expect(mounts.body.data["pki/"]).to.deep.include({ type: "pki" });
    expect(mounts.body.data["pki/"].config.max_lease_ttl).to.equal(8760 * 3600);
    expect(mounts.body["pki/"], "top-level copy").to.deep.equal(mounts.body.data["pki/"]);
    const auth = await ctx().target.raw("GET", "sys/auth");
    expect(auth.body.data["kubernetes/"].type).to.equal("kubernetes");
    expect(auth.body.data["kubernetes/"].accessor).to.match(/^auth_kubernetes_[0-9a-f]{8}$/);
    expect(ctx().accessor).to.equal(auth.body.data["kubernetes/"].accessor);
  });

  it("finds the root CA: cert/ca of the root mount, cert/ca_chain of the intermediate as a string", async () => {
    const rootCa = await ctx().target.raw("GET", "pki-root/cert/ca");
    const root = new X509Certificate(rootCa.body.data.certificate);
    expect(root.subject).to.equal("CN=contract root CA");
    expect(ctx().applied.rootPem).to.equal(rootCa.body.data.certificate.trim());
    const chain = await ctx().target.raw("GET", "pki/cert/ca_chain");
    expect(chain.body.data.ca_chain).to.be.a("string");
    expect(chain.body.data.ca_chain.match(/BEGIN CERTIFICATE/g)).to.have.length(2);
  });

  it("reads the PKI role with the fields vault-config compares", async () => {
    const role = (await ctx().root.read("pki/roles/app"))!.data as Record<string, unknown>;
    expect(role.allowed_uri_sans).to.deep.equal([
      `spiffe://cluster.local/ns/{{identity.entity.aliases.${ctx().accessor}.metadata.service_account_namespace}}` +
        `/sa/{{identity.entity.aliases.${ctx().accessor}.metadata.service_account_name}}`,
    ]);
    expect(role).to.include({
      ttl: 3600,
      max_ttl: 7200,
      no_store: true,
      client_flag: true,
      server_flag: false,
      key_type: "ec",
    });
  });

  it("reads the kubernetes role with the fields vault-config compares", async () => {
    const role = (await ctx().root.read("auth/kubernetes/role/short"))!.data as Record<string, unknown>;
    expect(role).to.deep.include({
      bound_service_account_names: ["short"],
      bound_service_account_namespaces: ["payments"],
      audience: "vault",
      token_ttl: 3,
      token_max_ttl: 6,
      token_policies: ["iamra-short"],
      token_no_default_policy: true,
    });
  });

  it("refuses to mount a second engine at a used path with 400", async () => {
    const r = await ctx().target.raw("POST", "sys/mounts/pki", { type: "pki" });
    expect([r.status, r.body]).to.deep.equal([400, { errors: ["path is already in use at pki/"] }]);
  });
});
