import { expect } from "chai";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { IamraError } from "../../../../lib/errors.js";
import { systemClock } from "../../../../lib/time/clock.js";
import { startForwardProxy, type ForwardProxy } from "../../../support/forwardProxy.js";
import { loopbackTls } from "./loopbackTls.js";
import { closedPort, startScriptedVault, type ScriptedVault } from "./scriptedVault.js";
import { testClient } from "./testClient.js";

const HEALTHY = { status: 200, body: { initialized: true, sealed: false, standby: false } };

/** A loopback server that counts TCP connections and answers each request with `handler`. */
async function countingServer(handler: http.RequestListener) {
  const server = http.createServer({ keepAliveTimeout: 30_000 }, handler);
  let connections = 0;
  server.on("connection", () => connections++);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

describe("createVaultClient HTTP layer", () => {
  let vault: ScriptedVault;
  beforeEach(async () => (vault = await startScriptedVault()));
  afterEach(async () => vault.close());

  it("puts the path of VAULT_ADDR before /v1/ and sends X-Vault-Request and the namespace", async () => {
    const { client } = testClient(`${vault.url}/lb/vault/`, { namespace: "team-a" });
    client.useToken("hvs.t");
    vault.reply(HEALTHY, { status: 200, body: { data: {} } });
    await client.health();
    await client.read("pki/roles/web");
    expect(vault.received.map((r) => r.path)).to.deep.equal(["/lb/vault/v1/sys/health", "/lb/vault/v1/pki/roles/web"]);
    for (const r of vault.received) {
      expect(r.headers["x-vault-request"]).to.equal("true");
      expect(r.headers["x-vault-namespace"]).to.equal("team-a");
    }
    expect(vault.received[0].headers["x-vault-token"]).to.equal(undefined);
    expect(vault.received[1].headers["x-vault-token"]).to.equal("hvs.t");
  });

  it("reads the health of a performance standby answered with 473", async () => {
    const { client } = testClient(vault.url);
    vault.reply({ status: 473, body: { initialized: true, sealed: false, standby: true, performance_standby: true } });
    expect(await client.health()).to.deep.equal({ initialized: true, sealed: false, standby: true });
  });

  it("fails with VAULT_RESPONSE_INVALID, without retrying, when a 2xx answer is not JSON", async () => {
    const { client } = testClient(vault.url, { maxAttempts: 3 });
    client.useToken("hvs.t");
    vault.reply({ status: 200, text: "<html>login</html>" });
    const e = (await client.read("secret/x").catch((x: unknown) => x)) as IamraError;
    expect([e.code, e.retryable, e.status]).to.deep.equal(["VAULT_RESPONSE_INVALID", false, 200]);
    expect(e.message).to.include("secret/x");
    expect(vault.received).to.have.length(1);
  });

  it("maps a 502 with a text body (a proxy's error page) to VAULT_SERVER_ERROR", async () => {
    const { client } = testClient(vault.url, { maxAttempts: 1 });
    client.useToken("hvs.t");
    vault.reply({ status: 502, text: "Bad Gateway" });
    const e = (await client.read("secret/x").catch((x: unknown) => x)) as IamraError;
    expect([e.code, e.retryable, e.status]).to.deep.equal(["VAULT_SERVER_ERROR", true, 502]);
    expect(e.message).to.include("HTTP 502: no message");
  });

  it("follows a standby's 307 to the active node with the method, body and token", async () => {
    const active = await startScriptedVault();
    try {
      const { client } = testClient(vault.url);
      client.useToken("hvs.t");
      vault.reply({ status: 307, headers: { location: `${active.url}/v1/pki/roles/web` } });
      active.reply({ status: 200, body: { data: { ok: true } } });
      expect(await client.write("pki/roles/web", { ttl: "1h" })).to.deep.equal({ data: { ok: true } });
      expect(active.received.map((r) => [r.method, r.path, r.body, r.headers["x-vault-token"]])).to.deep.equal([
        ["POST", "/v1/pki/roles/web", { ttl: "1h" }, "hvs.t"],
      ]);
    } finally {
      await active.close();
    }
  });

  it("does not follow a redirect to another scheme, nor more than 3", async () => {
    const { client } = testClient(vault.url, { maxAttempts: 1 });
    client.useToken("hvs.t");
    vault.reply({ status: 307, headers: { location: "https://127.0.0.1:9/v1/x" } });
    const other = (await client.read("x").catch((x: unknown) => x)) as IamraError;
    expect([other.code, other.status]).to.deep.equal(["VAULT_BAD_REQUEST", 307]);
    const loop = { status: 307, headers: { location: `${vault.url}/v1/x` } };
    vault.reply(loop, loop, loop, loop, loop);
    const looped = (await client.read("x").catch((x: unknown) => x)) as IamraError;
    expect([looped.code, looped.status]).to.deep.equal(["VAULT_BAD_REQUEST", 307]);
    expect(vault.received).to.have.length(1 + 4);
  });

  it("throws VAULT_UNREACHABLE with ECONNREFUSED when nothing listens", async () => {
    const port = await closedPort();
    const { client } = testClient(`http://127.0.0.1:${port}`, { maxAttempts: 1 });
    const e = (await client.health().catch((x: unknown) => x)) as IamraError;
    expect(e.code).to.equal("VAULT_UNREACHABLE");
    expect(e.details).to.include({ errorCode: "ECONNREFUSED" });
  });

  it("rejects a VAULT_ADDR with a query as VAULT_ADDR_INVALID", () => {
    expect(() => testClient(`${vault.url}/?x=1`))
      .to.throw()
      .with.property("code", "VAULT_ADDR_INVALID");
    expect(() => testClient("ftp://vault:8200"))
      .to.throw()
      .with.property("code", "VAULT_ADDR_INVALID");
  });
});

describe("createVaultClient connections", () => {
  it("ends with VAULT_TIMEOUT an answer whose body never completes", async () => {
    const server = await countingServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write('{"data":');
    });
    try {
      const { client } = testClient(server.url, { timeoutMs: 300, maxAttempts: 1, clock: systemClock });
      client.useToken("hvs.t");
      const e = (await client.read("secret/x").catch((x: unknown) => x)) as IamraError;
      expect(e.code).to.equal("VAULT_TIMEOUT");
      expect(e.message).to.include("within 300 ms");
    } finally {
      await server.close();
    }
  });

  it("keeps the connection alive between calls, and close() ends it while the client stays usable", async () => {
    const server = await countingServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    try {
      const { client } = testClient(server.url);
      client.useToken("hvs.t");
      await client.read("a/b");
      await client.read("a/b");
      expect(server.connections(), "one connection for two calls").to.equal(1);
      client.close();
      await client.read("a/b");
      expect(server.connections(), "a new connection after close()").to.equal(2);
      client.close();
    } finally {
      await server.close();
    }
  });
});

describe("createVaultClient through a proxy", () => {
  let proxy: ForwardProxy;
  let vault: ScriptedVault;
  afterEach(async () => Promise.all([proxy?.close(), vault?.close()]));

  it("forwards requests to an http:// Vault with the absolute URL and the proxy's credentials", async () => {
    [proxy, vault] = await Promise.all([startForwardProxy(), startScriptedVault()]);
    const httpProxy = new URL(proxy.url);
    httpProxy.username = "user";
    httpProxy.password = "p%40ss";
    const { client } = testClient(vault.url, { proxies: { httpProxy, httpsProxy: new URL("http://127.0.0.1:9") } });
    client.useToken("hvs.t");
    vault.reply({ status: 200, body: { data: { keys: ["a"] } } });
    expect(await client.list("pki/roles")).to.deep.equal({ data: { keys: ["a"] } });
    expect(proxy.requests).to.deep.equal([
      {
        line: `GET ${vault.url}/v1/pki/roles?list=true`,
        proxyAuthorization: `Basic ${Buffer.from("user:p@ss").toString("base64")}`,
      },
    ]);
    expect(vault.received[0].headers["x-vault-token"]).to.equal("hvs.t");
    expect(vault.received[0].headers["proxy-authorization"]).to.equal(undefined);
  });

  it("reaches an https:// Vault through a CONNECT tunnel, verifying Vault's certificate inside it", async () => {
    const tls = await loopbackTls();
    [proxy, vault] = await Promise.all([startForwardProxy(), startScriptedVault(tls)]);
    const { client } = testClient(vault.url, { caCertPem: tls.cert, proxies: { httpsProxy: new URL(proxy.url) } });
    vault.reply(HEALTHY);
    expect((await client.health()).sealed).to.equal(false);
    expect(proxy.requests.map((r) => r.line)).to.deep.equal([`CONNECT ${new URL(vault.url).host}`]);
    client.close();
  });

  it("goes directly to a Vault listed in NO_PROXY", async () => {
    [proxy, vault] = await Promise.all([startForwardProxy(), startScriptedVault()]);
    const proxies = { httpProxy: new URL(proxy.url), noProxy: "example.com,localhost" };
    const { client } = testClient(vault.url, { proxies });
    vault.reply(HEALTHY);
    await client.health();
    expect(proxy.requests).to.deep.equal([]);
    expect(vault.received).to.have.length(1);
  });

  it("fails with PROXY_REFUSED when the proxy refuses the tunnel", async () => {
    const tls = await loopbackTls();
    [proxy, vault] = await Promise.all([startForwardProxy({ refuseConnect: true }), startScriptedVault(tls)]);
    const proxies = { httpsProxy: new URL(proxy.url) };
    const { client } = testClient(vault.url, { caCertPem: tls.cert, maxAttempts: 1, proxies });
    const e = (await client.health().catch((x: unknown) => x)) as IamraError;
    expect(e.code).to.equal("PROXY_REFUSED");
    expect(e.status).to.equal(403);
    expect(vault.received).to.have.length(0);
  });
});
