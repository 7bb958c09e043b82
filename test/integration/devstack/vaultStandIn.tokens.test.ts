import { expect } from "chai";
import { testVaultClient, startVaultKit, type VaultKit, rejection } from "./vaultTestKit.js";

/** OpenBao's answer to an expired, revoked or unknown token (no "invalid token" line, unlike HashiCorp Vault). */
const INVALID_TOKEN = "permission denied";
const DENIED = "1 error occurred:\n\t* permission denied\n\n";

describe("startVaultStandIn (tokens and ACL)", function () {
  this.timeout(30_000);
  let kit: VaultKit;

  before(async () => (kit = await startVaultKit()));
  after(async () => kit?.close());
  afterEach(() => kit.clock.reset());

  it("looks up a login token with its path, policies, metadata and remaining TTL", async () => {
    const app = await kit.login("payments", "app");
    const res = (await app.tokenLookupSelf()) as { data: Record<string, unknown> };
    expect(res.data).to.include({
      path: "auth/kubernetes/login",
      display_name: "kubernetes-payments-app",
      creation_ttl: 600,
      renewable: true,
      orphan: true,
      type: "service",
      role: "app",
    });
    expect(res.data["policies"]).to.deep.equal(["default", "pki-app"]);
    expect(res.data["ttl"]).to.be.within(599, 600);
    expect((res.data["meta"] as Record<string, string>)["service_account_name"]).to.equal("app");
  });

  it("renews within the role's token_max_ttl and warns when the increment is capped", async () => {
    const app = await kit.login("payments", "app");
    const ok = (await app.tokenRenewSelf({ increment: "20m" })) as {
      auth: { lease_duration: number };
      warnings: unknown;
    };
    expect(ok.auth.lease_duration).to.equal(1200);
    expect(ok.warnings).to.equal(null);
    kit.clock.advance(10 * 60_000);
    const capped = (await app.tokenRenewSelf({ increment: "1h" })) as {
      auth: { lease_duration: number };
      warnings: string[];
    };
    expect(capped.auth.lease_duration).to.be.within(1199, 1200);
    expect(capped.warnings[0]).to.match(
      /^TTL of "1h" exceeded the effective max_ttl of "(19m59s|20m0s)"; TTL value is capped accordingly$/,
    );
  });

  it("answers 403 'permission denied' after the TTL passes and after revoke-self (204)", async () => {
    const expiring = await kit.login("payments", "app");
    kit.clock.advance(11 * 60_000);
    const expired = await rejection(expiring.tokenLookupSelf());
    expect(expired.response?.statusCode).to.equal(403);
    expect(expired.message).to.equal(INVALID_TOKEN);
    kit.clock.reset();
    const app = await kit.login("payments", "app");
    expect(await app.tokenRevokeSelf()).to.equal("");
    expect((await rejection(app.tokenLookupSelf())).message).to.equal(INVALID_TOKEN);
    const revokeRecord = kit.vault.requests.filter((r) => r.path === "/v1/auth/token/revoke-self").at(-1)!;
    expect(revokeRecord.token).to.match(/^[A-Za-z0-9]{24}$/);
    expect(JSON.stringify(kit.vault.requests)).not.to.include("hvs.");
  });

  it("creates tokens from the root token with policies and TTL, and accepts Authorization: Bearer", async () => {
    const created = (await testVaultClient(kit.vault.url, kit.vault.rootToken).tokenCreate({
      policies: ["pki-app"],
      ttl: "90s",
    })) as { auth: Record<string, unknown> };
    expect(created.auth).to.include({ lease_duration: 90, renewable: true, orphan: false, entity_id: "" });
    expect(created.auth["policies"]).to.deep.equal(["default", "pki-app"]);
    const res = await fetch(`${kit.vault.url}/v1/auth/token/lookup-self`, {
      headers: { Authorization: `Bearer ${String(created.auth["client_token"])}` },
    });
    expect(res.status).to.equal(200);
    expect(((await res.json()) as { data: { ttl: number } }).data.ttl).to.be.within(89, 90);
    kit.clock.advance(91_000);
    expect(
      (await rejection(testVaultClient(kit.vault.url, String(created.auth["client_token"])).tokenLookupSelf())).message,
    ).to.equal(INVALID_TOKEN);
  });

  it("enforces ACL policies with Vault's 403 strings, and a bare 403 for a missing token", async () => {
    const app = await kit.login("payments", "app");
    for (const p of [
      app.read("sys/mounts"),
      app.write("pki/roles/app", { ttl: "1h" }),
      app.write("pki/issue/other", { common_name: "x" }),
      app.tokenCreate({}),
    ]) {
      const err = await rejection(p);
      expect(err.response?.statusCode).to.equal(403);
      expect(err.message).to.equal(DENIED);
    }
    const noToken = await rejection(testVaultClient(kit.vault.url).read("sys/mounts"));
    expect(noToken.response?.statusCode).to.equal(403);
    expect(noToken.message).to.equal("permission denied");
  });

  it("applies exact paths over globs, the longest glob, deny and sudo", async () => {
    await kit.root.write("sys/policies/acl/mixed", {
      policy: `
        # comment lines are allowed
        path "pki/*" { capabilities = ["deny"] }
        path "pki/roles/*" { capabilities = ["read", "list"] }
        path "pki/roles/secret" { capabilities = ["deny"] }
        path "sys/auth/*" { capabilities = ["update"] }
        path "pki/roles/app-own" {
          capabilities = ["create"]
        }
        path "pki/roles/app-own" { capabilities = ["update"] }
      `,
    });
    await kit.root.write("auth/kubernetes/role/mixed", {
      bound_service_account_names: "app",
      bound_service_account_namespaces: "payments",
      token_policies: "mixed",
    });
    const c = await kit.login("payments", "app", "mixed");
    expect(((await c.read("pki/roles/app")) as { data: { key_type: string } }).data.key_type).to.equal("ec");
    expect(((await c.list("pki/roles")) as { data: { keys: string[] } }).data.keys).to.include("app");
    expect((await rejection(c.read("pki/roles/secret"))).message).to.equal(DENIED);
    expect((await rejection(c.write("sys/auth/x", { type: "kubernetes" }))).message).to.equal(DENIED);
    const own = (await c.write("pki/roles/app-own", { allow_any_name: true, key_type: "ec" })) as {
      data: { key_type: string };
    };
    expect(own.data.key_type).to.equal("ec");
    expect((await rejection(c.write("pki/roles/admin-own", { key_type: "ec" }))).message).to.equal(DENIED);
    expect((await rejection(c.read("pki/config/urls"))).message).to.equal(DENIED);
  });
});
