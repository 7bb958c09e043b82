import { expect } from "chai";
import { inspect } from "node:util";
import { IamraError } from "../../../../lib/errors.js";
import { systemClock } from "../../../../lib/time/clock.js";
import { closedPort, fakeJwt, startScriptedVault, type ScriptedVault } from "./scriptedVault.js";
import { logged, testClient } from "./testClient.js";

const CERT = "-----BEGIN CERTIFICATE-----\nMIIleaf\n-----END CERTIFICATE-----";
const SEALED = { status: 503, body: { errors: ["Vault is sealed"] } };
const SIGNED = {
  status: 200,
  body: { data: { expiration: 1, serial_number: "01", certificate: CERT, issuing_ca: CERT, ca_chain: [CERT] } },
};

function everythingIn(e: IamraError): string {
  return [
    e.message,
    e.hint,
    JSON.stringify(e.details),
    JSON.stringify(e),
    inspect(e, { depth: 10 }),
    String(e.stack),
  ].join("\n");
}

describe("createVaultClient failures", () => {
  let vault: ScriptedVault;
  beforeEach(async () => (vault = await startScriptedVault()));
  afterEach(async () => vault.close());

  it("retries 503 Vault is sealed and succeeds on the next answer, logging the retry at warn", async () => {
    const { client, clock, lines } = testClient(vault.url);
    client.useToken("hvs.t");
    vault.reply(SEALED, SIGNED);
    const cert = await client.pkiSign({ role: "r", csrPem: "csr", commonName: "a" });
    expect(cert.certificatePem).to.equal(CERT);
    expect(vault.received).to.have.length(2);
    expect(clock.sleeps).to.deep.equal([5]); // random 0.5 × min(cap 40, base 10 × 2^0)
    const warns = logged(lines, "vault request failed, retrying");
    expect(warns).to.have.length(1);
    expect(warns[0]).to.include({
      level: "warn",
      step: "vault-pki-sign",
      attempt: 1,
      delayMs: 5,
      code: "VAULT_SEALED",
    });
  });

  it("gives up with VAULT_SEALED after maxAttempts when Vault stays sealed", async () => {
    const { client, clock } = testClient(vault.url, { maxAttempts: 3 });
    client.useToken("hvs.t");
    vault.reply(SEALED, SEALED, SEALED, SIGNED);
    const e = (await client
      .pkiSign({ role: "r", csrPem: "csr", commonName: "a" })
      .catch((x: unknown) => x)) as IamraError;
    expect(e.code).to.equal("VAULT_SEALED");
    expect(e.retryable).to.equal(true);
    expect(e.details).to.include({ attempt: 3, status: 503 });
    expect(vault.received).to.have.length(3);
    expect(clock.sleeps).to.deep.equal([5, 10]);
  });

  const transient: Array<[number, string]> = [
    [500, "VAULT_SERVER_ERROR"],
    [502, "VAULT_SERVER_ERROR"],
    [429, "VAULT_RATE_LIMITED"],
  ];
  for (const [status, code] of transient) {
    it(`retries ${status} (${code}) and then succeeds`, async () => {
      const { client } = testClient(vault.url);
      client.useToken("hvs.t");
      vault.reply({ status, body: { errors: ["busy"] } }, { status: 200, body: { data: { k: "v" } } });
      expect(await client.read("secret/data/x")).to.deep.equal({ data: { k: "v" } });
      expect(vault.received).to.have.length(2);
    });
  }

  it("retries 429 rate limiting beyond maxAttempts within the throttle budget, with the throttle backoff", async () => {
    const { client, clock } = testClient(vault.url, { maxAttempts: 2, throttleBudgetMs: 60_000 });
    client.useToken("hvs.t");
    const limited = { status: 429, body: { errors: ['request path "pki/sign/r": rate limit quota exceeded'] } };
    vault.reply(limited, limited, limited, limited, limited, SIGNED);
    const cert = await client.pkiSign({ role: "r", csrPem: "csr", commonName: "a" });
    expect(cert.certificatePem).to.equal(CERT);
    expect(vault.received).to.have.length(6);
    expect(clock.sleeps).to.deep.equal([250, 500, 1000, 1500, 1500]); // random 0.5 × min(3 s, 500 ms × 2^(n-1))
  });

  it("throws VAULT_TIMEOUT within the configured timeout when the server accepts and never answers", async function () {
    this.timeout(30_000);
    const { client } = testClient(vault.url, { timeoutMs: 300, maxAttempts: 1, clock: systemClock });
    vault.reply("hang");
    const started = Date.now();
    const e = (await client.loginKubernetes({ role: "app", jwt: "a.b.c" }).catch((x: unknown) => x)) as IamraError;
    const elapsed = Date.now() - started;
    expect(e.code).to.equal("VAULT_TIMEOUT");
    expect(e.retryable).to.equal(true);
    expect(e.message).to.include("within 300 ms");
    // the server never answers: without the timeout the call would hang until the test's own timeout
    expect(elapsed).to.be.at.least(250).and.below(10_000);
    expect(vault.received).to.have.length(1);
  });

  it("throws VAULT_UNREACHABLE after maxAttempts when the connection is refused", async () => {
    const port = await closedPort();
    const { client, clock, lines } = testClient(`http://127.0.0.1:${port}`, { maxAttempts: 3 });
    const e = (await client.health().catch((x: unknown) => x)) as IamraError;
    expect(e.code).to.equal("VAULT_UNREACHABLE");
    expect(e.retryable).to.equal(true);
    expect(e.details).to.include({ attempt: 3, errorCode: "ECONNREFUSED" });
    expect(e.message).to.include(`http://127.0.0.1:${port}`);
    expect(clock.sleeps).to.have.length(2);
    expect(logged(lines, "vault request failed, retrying").map((l) => l.code)).to.deep.equal([
      "VAULT_UNREACHABLE",
      "VAULT_UNREACHABLE",
    ]);
  });

  it("never puts a planted token or JWT into the error, its cause or the logs, even when Vault echoes them", async () => {
    const token = "hvs.PLANTED-SECRET-TOKEN-0123456789";
    const jwt = fakeJwt({ sub: "system:serviceaccount:ns:sa", secret: "PLANTED-JWT-CLAIM" });
    const { client, lines } = testClient(vault.url, { maxAttempts: 2 });
    client.useToken(token);
    vault.reply(
      { status: 500, body: { errors: [`internal error for token ${token}`] } },
      { status: 400, body: { errors: [`bad token ${token}`] } },
    );
    const signErr = (await client
      .pkiSign({ role: "r", csrPem: "csr", commonName: "a" })
      .catch((x: unknown) => x)) as IamraError;
    expect(signErr.code).to.equal("VAULT_PKI_REFUSED");
    expect(signErr.message).to.include("bad token [REDACTED]");
    vault.reply({ status: 403, body: { errors: [`jwt ${jwt} rejected`] } });
    const loginErr = (await client.loginKubernetes({ role: "app", jwt }).catch((x: unknown) => x)) as IamraError;
    expect(loginErr.code).to.equal("VAULT_LOGIN_DENIED");
    expect(vault.received[0].headers["x-vault-token"]).to.equal(token); // the secret really was in play
    for (const e of [signErr, loginErr]) {
      expect(everythingIn(e)).to.not.include(token).and.not.include(jwt);
    }
    expect(lines.join("\n")).to.not.include(token).and.not.include(jwt);
  });

  it("keeps the token out of a timeout error's cause (axios errors carry the request headers)", async () => {
    const token = "hvs.PLANTED-SECRET-TOKEN-timeout";
    const { client } = testClient(vault.url, { timeoutMs: 200, maxAttempts: 1, clock: systemClock });
    client.useToken(token);
    vault.reply("hang");
    const e = (await client.read("secret/x").catch((x: unknown) => x)) as IamraError;
    expect(e.code).to.equal("VAULT_TIMEOUT");
    expect(everythingIn(e)).to.not.include(token);
  });

  it("does not take a token, namespace or skip-verify from the process environment", async () => {
    const saved = { t: process.env.VAULT_TOKEN, n: process.env.VAULT_NAMESPACE };
    process.env.VAULT_TOKEN = "hvs.from-env";
    process.env.VAULT_NAMESPACE = "env-ns";
    try {
      const { client } = testClient(vault.url);
      vault.reply({ status: 200, body: { initialized: true, sealed: false, standby: false } });
      await client.health();
      expect(vault.received[0].headers["x-vault-token"]).to.equal(undefined);
      expect(vault.received[0].headers["x-vault-namespace"]).to.equal(undefined);
      expect(client.hasToken()).to.equal(false);
    } finally {
      if (saved.t === undefined) delete process.env.VAULT_TOKEN;
      else process.env.VAULT_TOKEN = saved.t;
      if (saved.n === undefined) delete process.env.VAULT_NAMESPACE;
      else process.env.VAULT_NAMESPACE = saved.n;
    }
  });

  it("throws VAULT_NOT_AUTHENTICATED without a request when no token is set", async () => {
    const { client } = testClient(vault.url);
    const e = (await client.lookupSelf().catch((x: unknown) => x)) as IamraError;
    expect(e.code).to.equal("VAULT_NOT_AUTHENTICATED");
    expect(vault.received).to.have.length(0);
  });
});
