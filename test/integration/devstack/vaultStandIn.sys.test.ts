import { expect } from "chai";
import { request } from "node:http";
import { startVaultStandIn, type VaultStandIn } from "../../../devstack/vault/startVaultStandIn.js";
import { testVaultClient, rejection } from "./vaultTestKit.js";

/** A raw request, for verbs and headers clients do not send. */
function raw(
  url: string,
  method: string,
  path: string,
  token?: string,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers: token ? { "X-Vault-Token": token } : {} }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("startVaultStandIn (sys and transport)", function () {
  this.timeout(30_000);
  let vault: VaultStandIn;

  beforeEach(async () => (vault = await startVaultStandIn({ rootToken: "root-for-tests" })));
  afterEach(async () => vault?.close());

  it("answers sys/health with Vault's body, status overrides, HEAD and 400 for a bad code", async () => {
    const client = testVaultClient(vault.url);
    const health = (await client.health()) as Record<string, unknown>;
    expect(health).to.include({ initialized: true, sealed: false, standby: false, replication_dr_mode: "disabled" });
    expect(health["cluster_name"]).to.match(/^vault-cluster-/);
    expect((await raw(vault.url, "GET", "/v1/sys/health?activecode=299")).status).to.equal(299);
    const head = await raw(vault.url, "HEAD", "/v1/sys/health");
    expect([head.status, head.body]).to.deep.equal([200, ""]);
    expect((await raw(vault.url, "GET", "/v1/sys/health?sealedcode=abc")).status).to.equal(400);
  });

  it("answers 503 'Vault is sealed' while sealed, except health, seal-status and unseal", async () => {
    const root = testVaultClient(vault.url, vault.rootToken);
    vault.seal();
    const err = await rejection(root.mounts());
    expect(err.response?.statusCode).to.equal(503);
    expect(err.response?.body).to.deep.equal({ errors: ["Vault is sealed"] });
    const health = await raw(vault.url, "GET", "/v1/sys/health");
    expect(health.status).to.equal(503);
    expect(JSON.parse(health.body)).to.include({ sealed: true }).and.not.have.property("cluster_id");
    expect(((await root.status()) as { sealed: boolean }).sealed).to.equal(true);
    const unsealed = (await root.unseal({ key: "any-key" })) as { sealed: boolean };
    expect(unsealed.sealed).to.equal(false);
    expect(await root.write("sys/seal", {})).to.equal("");
    expect((await raw(vault.url, "GET", "/v1/sys/mounts", vault.rootToken)).status).to.equal(503);
    vault.unseal();
    expect((await raw(vault.url, "GET", "/v1/sys/mounts", vault.rootToken)).status).to.equal(200);
  });

  it("lists mounts with top-level injection, refuses a duplicate path and tunes max_lease_ttl", async () => {
    const root = testVaultClient(vault.url, vault.rootToken);
    const res = await raw(vault.url, "POST", "/v1/sys/mounts/pki", vault.rootToken);
    expect(res.status).to.equal(400);
    expect(JSON.parse(res.body)).to.deep.equal({ errors: ["backend type must be specified as a string"] });
    await root.mount({ mount_point: "pki", type: "pki" });
    const dup = await rejection(root.mount({ mount_point: "pki", type: "pki" }));
    expect(dup.message).to.equal("path is already in use at pki/");
    const mounts = (await root.mounts()) as Record<string, any>;
    expect(mounts["pki/"].type).to.equal("pki");
    expect(mounts["pki/"].accessor).to.match(/^pki_[0-9a-f]{8}$/);
    expect(mounts["data"]["pki/"]).to.deep.equal(mounts["pki/"]);
    expect(await root.write("sys/mounts/pki/tune", { max_lease_ttl: "87600h" })).to.equal("");
    const tuned = (await root.mounts()) as Record<string, any>;
    expect(tuned["pki/"].config).to.include({ max_lease_ttl: 87600 * 3600, default_lease_ttl: 0 });
    const auths = (await root.auths()) as Record<string, any>;
    expect(Object.keys(auths.data)).to.deep.equal(["token/"]);
    const unknown = await rejection(root.enableAuth({ mount_point: "ldap", type: "ldap" }));
    expect(unknown.message).to.equal("plugin not found in the catalog: ldap");
  });

  it("stores ACL policies through sys/policies/acl and refuses what it cannot parse", async () => {
    const root = testVaultClient(vault.url, vault.rootToken);
    expect(
      await root.write("sys/policies/acl/Reader", { policy: 'path "pki/*" { capabilities = ["read"] }' }),
    ).to.equal("");
    const read = (await root.read("sys/policies/acl/reader")) as Record<string, any>;
    expect(read["data"]).to.include({ name: "reader", policy: 'path "pki/*" { capabilities = ["read"] }', version: 1 });
    expect(read).not.to.have.property("policy");
    expect(((await root.list("sys/policies/acl")) as { data: { keys: string[] } }).data.keys).to.deep.equal([
      "default",
      "reader",
      "root",
    ]);
    const bad = await rejection(root.write("sys/policies/acl/bad", { policy: 'path "x" { capabilities = ["fly"] }' }));
    expect(bad.message).to.equal('failed to parse policy: path "x": invalid capability "fly"');
    const other = await rejection(root.write("sys/policies/acl/bad", { policy: 'path "x" { policy = "read" }' }));
    expect(other.message).to.equal(
      'failed to parse policy: unsupported policy syntax at "path "x" { policy = "read" }"',
    );
    expect((await rejection(root.write("sys/policies/acl/root", { policy: "x" }))).message).to.equal(
      'cannot update "root" policy',
    );
    expect((await rejection(root.delete("sys/policies/acl/default"))).message).to.equal(
      'cannot delete "default" policy',
    );
    expect((await rejection(root.read("sys/policies/acl/nope"))).response?.body).to.deep.equal({ errors: [] });
  });

  it("writes Vault's envelope with a trailing newline, 404/405 errors and the unmounted-route message", async () => {
    const lookup = await raw(vault.url, "GET", "/v1/auth/token/lookup-self", vault.rootToken);
    expect(lookup.body.endsWith("}\n")).to.equal(true);
    const body = JSON.parse(lookup.body) as Record<string, unknown>;
    expect(Object.keys(body)).to.deep.equal([
      "request_id",
      "lease_id",
      "renewable",
      "lease_duration",
      "data",
      "wrap_info",
      "warnings",
      "auth",
    ]);
    expect(body["data"]).to.include({ ttl: 0, expire_time: null, path: "auth/token/root", id: "root-for-tests" });
    const unsupported = await raw(vault.url, "DELETE", "/v1/auth/token/lookup-self", vault.rootToken);
    expect([unsupported.status, JSON.parse(unsupported.body)]).to.deep.equal([
      405,
      { errors: ["unsupported operation"] },
    ]);
    const nomount = await raw(vault.url, "GET", "/v1/nomount/x", vault.rootToken);
    expect([nomount.status, JSON.parse(nomount.body)]).to.deep.equal([
      404,
      { errors: ['no handler for route "nomount/x". route entry not found.'] },
    ]);
    const unclean = await raw(vault.url, "POST", "/v1/auth//login", vault.rootToken);
    expect([unclean.status, unclean.headers["location"]]).to.deep.equal([301, "/v1/auth/login"]);
  });

  it("cannot receive the LIST verb (node:http) but serves GET ?list=true", async () => {
    const list = await raw(vault.url, "LIST", "/v1/sys/policies/acl", vault.rootToken).catch((err: Error) => ({
      status: 0,
      body: err.message,
      headers: {},
    }));
    expect(list.status).to.be.oneOf([0, 400]);
    const get = await raw(vault.url, "GET", "/v1/sys/policies/acl?list=true", vault.rootToken);
    expect(JSON.parse(get.body).data.keys).to.deep.equal(["default", "root"]);
  });

  it("injects failures and delays and records requests with token accessors only", async () => {
    const root = testVaultClient(vault.url, vault.rootToken, 300);
    vault.failNext(2, 500);
    expect((await rejection(root.mounts())).response?.statusCode).to.equal(500);
    expect((await rejection(root.mounts())).response?.statusCode).to.equal(500);
    expect(await root.mounts()).to.have.property("sys/");
    vault.setDelay(6_000); // 20 times the client timeout
    const slow = await rejection(root.mounts());
    expect(slow.code).to.equal("ETIMEDOUT");
    vault.setDelay(0);
    const rootAccessor = vault.state.tokens.lookup(vault.rootToken)!.accessor;
    expect(vault.requests.at(-2)).to.deep.equal({ method: "GET", path: "/v1/sys/mounts", token: rootAccessor });
    expect(JSON.stringify(vault.requests)).not.to.include(vault.rootToken);
  });
});
