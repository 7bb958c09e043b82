import { expect } from "chai";
import type { IamraError } from "../../../../lib/errors.js";
import { systemClock } from "../../../../lib/time/clock.js";
import { startScriptedVault, type ScriptedVault } from "./scriptedVault.js";
import { logged, testClient, untilLogged } from "./testClient.js";

const HEALTHY = { status: 200, body: { data: { k: "v" } } };
const sealed = (retryAfter: string) => ({
  status: 503,
  body: { errors: ["Vault is sealed"] },
  headers: { "retry-after": retryAfter },
});
const limited = (retryAfter: string) => ({
  status: 429,
  body: { errors: ["rate limit quota exceeded"] },
  headers: { "retry-after": retryAfter },
});

/** Waits (bounded) until the scripted Vault has received `n` requests. */
async function received(vault: ScriptedVault, n: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (vault.received.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(vault.received.length, "requests Vault received").to.equal(n);
}

describe("createVaultClient and Retry-After", () => {
  let vault: ScriptedVault;
  beforeEach(async () => (vault = await startScriptedVault()));
  afterEach(async () => vault.close());

  it("waits the Retry-After of a 503 before the next attempt, when it is within the backoff cap", async () => {
    const { client, clock, lines } = testClient(vault.url, { backoffCapMs: 10_000 });
    client.useToken("hvs.t");
    vault.reply(sealed("2"), HEALTHY);
    expect(await client.read("secret/x")).to.deep.equal({ data: { k: "v" } });
    expect(clock.sleeps).to.deep.equal([2000]); // the backoff alone would wait 5 ms
    expect(logged(lines, "vault request failed, retrying")[0]).to.include({ delayMs: 2000, code: "VAULT_SEALED" });
  });

  it("never waits longer than the backoff cap for a 503, whatever Retry-After asks", async () => {
    const { client, clock } = testClient(vault.url, { backoffCapMs: 40 });
    client.useToken("hvs.t");
    vault.reply(sealed("3600"), HEALTHY);
    await client.read("secret/x");
    expect(clock.sleeps).to.deep.equal([40]);
  });

  it("waits the Retry-After of a 429 within the throttle budget, beyond maxAttempts", async () => {
    const { client, clock } = testClient(vault.url, { maxAttempts: 1, throttleBudgetMs: 60_000 });
    client.useToken("hvs.t");
    vault.reply(limited("5"), limited("7"), HEALTHY);
    await client.read("secret/x");
    expect(clock.sleeps).to.deep.equal([5000, 7000]); // the throttle backoff alone would wait 250 and 500 ms
    expect(vault.received).to.have.length(3);
  });

  it("fails at once with VAULT_RATE_LIMITED when a 429's Retry-After reaches past the throttle budget", async () => {
    const { client, clock } = testClient(vault.url, { maxAttempts: 3, throttleBudgetMs: 10_000 });
    client.useToken("hvs.t");
    vault.reply(limited("120"), HEALTHY);
    const e = (await client.read("secret/x").catch((x: unknown) => x)) as IamraError;
    expect(e.code).to.equal("VAULT_RATE_LIMITED");
    expect(e.details).to.include({ retryAfterMs: 120_000, status: 429 });
    expect(clock.sleeps).to.deep.equal([]);
    expect(vault.received).to.have.length(1);
  });

  it("reads a Retry-After given as an HTTP date", async () => {
    const { client, clock } = testClient(vault.url, { backoffCapMs: 10_000 });
    client.useToken("hvs.t");
    vault.reply(sealed(new Date(clock.now() + 3_000).toUTCString()), HEALTHY);
    await client.read("secret/x");
    expect(clock.sleeps).to.deep.equal([3000]);
  });

  it("ignores Retry-After on other statuses", async () => {
    const { client, clock } = testClient(vault.url, { backoffCapMs: 10_000 });
    client.useToken("hvs.t");
    vault.reply({ status: 500, body: { errors: ["internal error"] }, headers: { "retry-after": "9" } }, HEALTHY);
    await client.read("secret/x");
    expect(clock.sleeps).to.deep.equal([5]);
  });

  it("a stop ends a Retry-After wait at once with ABORTED", async function () {
    this.timeout(40_000);
    const stop = new AbortController();
    const { client, lines } = testClient(vault.url, {
      clock: systemClock,
      signal: stop.signal,
      maxAttempts: 1,
      throttleBudgetMs: 600_000,
    });
    client.useToken("hvs.t");
    vault.reply(limited("300"), HEALTHY);
    const read = client.read("secret/x").catch((x: unknown) => x);
    await received(vault, 1);
    await untilLogged(lines, "vault request failed, retrying"); // logged right before the 300 s wait starts
    const started = Date.now();
    stop.abort(new Error("received SIGTERM"));
    const e = (await read) as IamraError;
    expect(e.code, e.message).to.equal("ABORTED");
    expect(e.message).to.include("VAULT_RATE_LIMITED");
    // without the stop the wait would last 300 s
    expect(Date.now() - started, "ms from the stop to the failure").to.be.below(10_000);
    expect(vault.received).to.have.length(1);
  });
});
