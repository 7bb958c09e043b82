import { expect } from "chai";
import { ConfigError, IamraError } from "../../../../lib/errors.js";
import { loopbackTls } from "./loopbackTls.js";
import { startScriptedVault, type ScriptedVault } from "./scriptedVault.js";
import { testClient } from "./testClient.js";

describe("createVaultClient generic helpers, token calls and health", () => {
  let vault: ScriptedVault;
  beforeEach(async () => (vault = await startScriptedVault()));
  afterEach(async () => vault.close());

  it("list sends GET <path>?list=true (not the LIST verb) and returns Vault's JSON", async () => {
    const { client } = testClient(vault.url);
    client.useToken("hvs.t");
    vault.reply({ status: 200, body: { data: { keys: ["a", "b/"] } } });
    expect(await client.list("/auth/kubernetes/role/")).to.deep.equal({ data: { keys: ["a", "b/"] } });
    expect(vault.received[0].method).to.equal("GET");
    expect(vault.received[0].path).to.equal("/v1/auth/kubernetes/role");
    expect(vault.received[0].query.get("list")).to.equal("true");
    expect(vault.received[0].headers["x-vault-token"]).to.equal("hvs.t");
  });

  it("read and list return null on 404, delete returns null on 204", async () => {
    const { client } = testClient(vault.url);
    client.useToken("hvs.t");
    vault.reply({ status: 404, body: { errors: [] } }, { status: 404, body: { errors: [] } }, { status: 204 });
    expect(await client.read("pki/roles/missing")).to.equal(null);
    expect(await client.list("pki/roles")).to.equal(null);
    expect(await client.delete("pki/roles/x")).to.equal(null);
    expect(vault.received.map((r) => `${r.method} ${r.path}`)).to.deep.equal([
      "GET /v1/pki/roles/missing",
      "GET /v1/pki/roles",
      "DELETE /v1/pki/roles/x",
    ]);
  });

  it("write posts the data and returns null for 204 and the body for 200 and 202", async () => {
    const { client } = testClient(vault.url);
    client.useToken("hvs.t");
    vault.reply(
      { status: 204 },
      { status: 200, body: { warnings: ["w"] } },
      { status: 202, body: { warnings: ["tidy started"] } },
    );
    expect(await client.write("sys/mounts/pki", { type: "pki" })).to.equal(null);
    expect(await client.write("pki/roles/r", { ttl: "1h" })).to.deep.equal({ warnings: ["w"] });
    expect(await client.write("pki/tidy", { tidy_cert_store: true })).to.deep.equal({ warnings: ["tidy started"] });
    expect(vault.received[0].body).to.deep.equal({ type: "pki" });
  });

  it("maps 403 to VAULT_DENIED and 400 to VAULT_BAD_REQUEST with the path in the message", async () => {
    const { client } = testClient(vault.url);
    client.useToken("hvs.t");
    vault.reply(
      { status: 403, body: { errors: ["1 error occurred:\n\t* permission denied\n\n"] } },
      { status: 400, body: { errors: ["path is already in use at pki/"] } },
    );
    const d = (await client.read("sys/auth").catch((x: unknown) => x)) as IamraError;
    expect(d.code).to.equal("VAULT_DENIED");
    expect(d.message).to.equal("Vault read failed at sys/auth (HTTP 403: permission denied).");
    expect(d.hint).to.include('"read" on sys/auth');
    const b = (await client.write("sys/mounts/pki", { type: "pki" }).catch((x: unknown) => x)) as IamraError;
    expect(b.code).to.equal("VAULT_BAD_REQUEST");
    expect(b.message).to.include("sys/mounts/pki").and.include("path is already in use at pki/");
    expect(vault.received).to.have.length(2);
  });

  it("rejects unclean paths with ConfigError before sending anything", async () => {
    const { client } = testClient(vault.url);
    client.useToken("hvs.t");
    for (const bad of ["", "a//b", "a/../b", "v1/sys/health", "a?list=1"]) {
      const e = await client.read(bad).catch((x: unknown) => x);
      expect(e, bad).to.be.instanceOf(ConfigError);
    }
    expect(vault.received).to.have.length(0);
  });

  it("renewSelf posts the increment, keeps the renewed token and revokeSelf forgets it", async () => {
    const { client } = testClient(vault.url);
    client.useToken("hvs.old");
    vault.reply(
      {
        status: 200,
        body: {
          auth: {
            client_token: "hvs.renewed",
            accessor: "a",
            policies: ["default"],
            lease_duration: 120,
            renewable: true,
            metadata: null,
          },
        },
      },
      { status: 204 },
    );
    const auth = await client.renewSelf(60);
    expect(auth).to.include({ clientToken: "hvs.renewed", leaseDurationSec: 120, renewable: true });
    expect(auth.metadata).to.deep.equal({});
    expect(vault.received[0].path).to.equal("/v1/auth/token/renew-self");
    expect(vault.received[0].body).to.deep.equal({ increment: "60s" });
    await client.revokeSelf();
    expect(vault.received[1].path).to.equal("/v1/auth/token/revoke-self");
    expect(vault.received[1].headers["x-vault-token"]).to.equal("hvs.renewed");
    expect(client.hasToken()).to.equal(false);
  });

  it("maps 400 lease is not renewable on renew-self to VAULT_TOKEN_NOT_RENEWABLE", async () => {
    const { client } = testClient(vault.url);
    client.useToken("hvs.t");
    vault.reply({ status: 400, body: { errors: ["lease is not renewable"] } });
    const e = (await client.renewSelf().catch((x: unknown) => x)) as IamraError;
    expect(e.code).to.equal("VAULT_TOKEN_NOT_RENEWABLE");
    expect(vault.received[0].body).to.deep.equal({});
  });

  it("health asks for 200 in every state and returns the flags, also when sealed", async () => {
    const { client } = testClient(vault.url);
    vault.reply({ status: 200, body: { initialized: true, sealed: true, standby: true, version: "1.17.0" } });
    expect(await client.health()).to.deep.equal({ initialized: true, sealed: true, standby: true, version: "1.17.0" });
    const q = vault.received[0].query;
    expect([q.get("standbyok"), q.get("sealedcode"), q.get("uninitcode")]).to.deep.equal(["true", "200", "200"]);
    expect(vault.received[0].path).to.equal("/v1/sys/health");
  });

  describe("TLS", () => {
    let tls: { key: string; cert: string };
    let secure: ScriptedVault;
    const healthy = { status: 200, body: { initialized: true, sealed: false, standby: false } };
    before(async () => (tls = await loopbackTls()));
    beforeEach(async () => (secure = await startScriptedVault(tls)));
    afterEach(async () => secure.close());

    it("fails fast with VAULT_UNREACHABLE and a VAULT_CACERT hint when the certificate is not trusted", async () => {
      const { client } = testClient(secure.url, { maxAttempts: 3 });
      const e = (await client.health().catch((x: unknown) => x)) as IamraError;
      expect(e.code).to.equal("VAULT_UNREACHABLE");
      expect(e.retryable).to.equal(false);
      expect(e.hint).to.include("VAULT_CACERT");
      expect(e.details?.attempt).to.equal(1);
    });

    it("trusts the certificate given as caCertPem", async () => {
      const { client } = testClient(secure.url, { caCertPem: tls.cert });
      secure.reply(healthy);
      expect((await client.health()).sealed).to.equal(false);
      client.close();
    });

    it("connects without verification when tlsSkipVerify is set", async () => {
      const { client } = testClient(secure.url, { tlsSkipVerify: true });
      secure.reply(healthy);
      expect((await client.health()).initialized).to.equal(true);
      client.close();
    });
  });
});
