import { expect } from "chai";
import { IamraError } from "../../../../lib/errors.js";
import { systemClock } from "../../../../lib/time/clock.js";
import { fakeJwt, startScriptedVault, type ScriptedVault } from "./scriptedVault.js";
import { testClient, untilLogged } from "./testClient.js";

const SEALED = { status: 503, body: { errors: ["Vault is sealed"] } };

/** Waits (bounded) until the scripted Vault has received `n` requests. */
async function received(vault: ScriptedVault, n: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (vault.received.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(vault.received.length, "requests Vault received").to.equal(n);
}

describe("createVaultClient with a stop signal", function () {
  this.timeout(40_000);
  let vault: ScriptedVault;
  beforeEach(async () => (vault = await startScriptedVault()));
  afterEach(async () => vault.close());

  it("a stop aborts a hung request at once with ABORTED, without retrying", async () => {
    const stop = new AbortController();
    const { client } = testClient(vault.url, {
      timeoutMs: 120_000,
      maxAttempts: 4,
      clock: systemClock,
      signal: stop.signal,
    });
    vault.reply("hang", "hang", "hang", "hang");
    const login = client.loginKubernetes({ role: "app", jwt: fakeJwt({}) }).catch((e: unknown) => e);
    await received(vault, 1);
    const started = Date.now();
    stop.abort(new Error("received SIGTERM"));
    const e = (await login) as IamraError;
    expect(e.code, e.message).to.equal("ABORTED");
    // without the stop the request would hang for its 120 s timeout, then be retried
    expect(Date.now() - started, "ms from the stop to the failure").to.be.below(10_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(vault.received, "no retry after the stop").to.have.length(1);
  });

  it("a stop ends the wait before a retry at once", async () => {
    const stop = new AbortController();
    const { client, lines } = testClient(vault.url, {
      timeoutMs: 2_000,
      maxAttempts: 4,
      clock: systemClock,
      signal: stop.signal,
      backoffBaseMs: 60_000,
      backoffCapMs: 60_000,
    });
    client.useToken("hvs.t");
    vault.reply(SEALED, SEALED, SEALED, SEALED);
    const sign = client.pkiSign({ role: "r", csrPem: "csr", commonName: "a" }).catch((e: unknown) => e);
    await received(vault, 1);
    await untilLogged(lines, "vault request failed, retrying"); // logged right before the (30 s) backoff wait starts
    stop.abort(new Error("received SIGTERM"));
    const e = (await sign) as IamraError;
    expect(e.code, e.message).to.equal("ABORTED");
    expect(vault.received).to.have.length(1);
  });

  it("makes no request once stopped", async () => {
    const stop = new AbortController();
    stop.abort(new Error("received SIGTERM"));
    const { client } = testClient(vault.url, { clock: systemClock, signal: stop.signal });
    const e = (await client.health().catch((x: unknown) => x)) as IamraError;
    expect(e.code).to.equal("ABORTED");
    expect(vault.received).to.have.length(0);
  });
});
