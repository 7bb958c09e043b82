import { expect } from "chai";
import { runRefreshLoop } from "../../../../lib/refresh/runRefreshLoop.js";
import { createCredentialStore } from "../../../../lib/deliver/credentialStore.js";
import { IamraError } from "../../../../lib/errors.js";
import { silentLogger } from "../../../../lib/log.js";
import { manualClock } from "../../../support/manualClock.js";
import { testCredentials } from "../../../support/testCredentials.js";

const HOUR = 3_600_000;
/** Lets pending promise callbacks run (the loop awaits between steps). */
const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

describe("runRefreshLoop", () => {
  it("refreshes at once when nothing is held, then at about half the lifetime, and ticks between sleeps", async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1));
    const store = createCredentialStore({ clock });
    const refreshedAt: number[] = [];
    let ticks = 0;
    const stop = new AbortController();
    const loop = runRefreshLoop({
      refresh: async () => {
        refreshedAt.push(clock.now());
        store.set(testCredentials(clock.now() + HOUR), { obtainedAtMs: clock.now() });
      },
      tick: async () => void ticks++,
      store,
      clock,
      log: silentLogger(),
      signal: stop.signal,
      minValidityMs: 15 * 60_000,
      random: () => 0.5,
      maxSleepMs: 60_000,
    });
    await settle();
    expect(refreshedAt).to.deep.equal([Date.UTC(2030, 0, 1)]);
    expect(loop.nextRefreshAt() - Date.UTC(2030, 0, 1)).to.equal(HOUR / 2); // random 0.5 → no jitter
    for (let i = 0; i < 31; i++) {
      clock.advance(60_000);
      await settle();
    }
    expect(refreshedAt).to.have.length(2);
    expect(refreshedAt[1]! - refreshedAt[0]!).to.equal(HOUR / 2);
    expect(ticks).to.be.greaterThanOrEqual(29);
    stop.abort();
    clock.advance(60_000);
    await loop.done;
  });

  it("retries a retryable failure quickly with backoff, and a permanent one slowly, keeping the last good credentials", async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1));
    const store = createCredentialStore({ clock });
    const good = testCredentials(clock.now() + HOUR);
    store.set(good, { obtainedAtMs: clock.now() - HOUR }); // a 2 h lifetime, half gone: due now
    const outcomes: Array<"transient" | "permanent"> = ["transient", "transient", "permanent"];
    const attemptsAt: number[] = [];
    const stop = new AbortController();
    const loop = runRefreshLoop({
      refresh: async () => {
        attemptsAt.push(clock.now());
        const kind = outcomes.shift() ?? "permanent";
        throw new IamraError({
          code: kind === "transient" ? "RA_THROTTLED" : "RA_ACCESS_DENIED",
          message: kind,
          retryable: kind === "transient",
        });
      },
      store,
      clock,
      log: silentLogger(),
      signal: stop.signal,
      minValidityMs: 15 * 60_000,
      random: () => 0.999,
      retry: { baseMs: 1000, capMs: 120_000, permanentDelayMs: 300_000 },
      maxSleepMs: 1_000,
    });
    for (let i = 0; i < 900; i++) {
      clock.advance(1_000);
      await settle();
    }
    expect(attemptsAt.length).to.be.greaterThanOrEqual(3);
    const gaps = attemptsAt.slice(1).map((t, i) => t - attemptsAt[i]!);
    expect(gaps[0]).to.be.within(1_000, 2_000); // ~base · 0.999, rounded up to the next 1 s step
    expect(gaps[1]).to.be.within(2_000, 3_000); // doubled
    // permanent: retried too, after about 5 min ± 20 % (rounded up to the next 1 s step), not seconds
    expect(attemptsAt.length, "attempts (the permanent failure is retried within 900 s)").to.be.at.least(4);
    expect(gaps[2]).to.be.within(240_000, 361_000);
    expect(store.current()?.accessKeyId).to.equal(good.accessKeyId);
    stop.abort();
    clock.advance(1_000);
    await loop.done;
  });

  it("wake() refreshes now, and stop ends the loop after an in-flight refresh finishes", async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1));
    const store = createCredentialStore({ clock });
    store.set(testCredentials(clock.now() + HOUR), { obtainedAtMs: clock.now() });
    let release!: () => void;
    let calls = 0;
    const stop = new AbortController();
    const loop = runRefreshLoop({
      refresh: () => {
        calls++;
        return new Promise<void>((r) => (release = r));
      },
      store,
      clock,
      log: silentLogger(),
      signal: stop.signal,
      minValidityMs: 15 * 60_000,
    });
    await settle();
    expect(calls).to.equal(0); // held credentials are fresh: nothing to do yet
    loop.wake();
    await settle();
    expect(calls).to.equal(1);
    stop.abort();
    let done = false;
    void loop.done.then(() => (done = true));
    await settle();
    expect(done, "waits for the in-flight refresh").to.equal(false);
    release();
    await settle();
    expect(done).to.equal(true);
  });

  it("reports a stall (alive() false) when a refresh runs past its budget, and recovers when it ends", async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1));
    const store = createCredentialStore({ clock });
    let release!: () => void;
    const stop = new AbortController();
    const loop = runRefreshLoop({
      // an upstream that answers only when the test releases it
      refresh: () =>
        new Promise<void>((r) => (release = r)).then(() =>
          store.set(testCredentials(clock.now() + HOUR), { obtainedAtMs: clock.now() }),
        ),
      store,
      clock,
      log: silentLogger(),
      signal: stop.signal,
      minValidityMs: 15 * 60_000,
      maxSleepMs: 1_000,
      cycleBudgetMs: 30_000,
    });
    await settle();
    expect(loop.alive(), "a refresh just started").to.equal(true);
    clock.advance(29_000);
    await settle();
    expect(loop.alive(), "29 s into a 30 s budget").to.equal(true);
    clock.advance(2_000);
    await settle();
    expect(loop.alive(), "31 s into a 30 s budget").to.equal(false);
    release();
    await settle();
    expect(loop.alive(), "the refresh ended and the loop sleeps again").to.equal(true);
    expect(loop.nextRefreshAt(), "the next refresh is planned ahead").to.be.greaterThan(clock.now());
    stop.abort();
    clock.advance(1_000);
    await loop.done;
  });

  it("reports a stall when a tick between sleeps hangs past the budget", async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1));
    const store = createCredentialStore({ clock });
    store.set(testCredentials(clock.now() + HOUR), { obtainedAtMs: clock.now() });
    let ticks = 0;
    const stop = new AbortController();
    const loop = runRefreshLoop({
      refresh: async () => undefined,
      tick: () => (++ticks === 1 ? new Promise<void>(() => undefined) : Promise.resolve()),
      store,
      clock,
      log: silentLogger(),
      signal: stop.signal,
      minValidityMs: 15 * 60_000,
      maxSleepMs: 1_000,
      cycleBudgetMs: 30_000,
    });
    clock.advance(1_000);
    await settle();
    expect(ticks, "the first tick started").to.equal(1);
    clock.advance(29_000);
    expect(loop.alive(), "29 s into the tick").to.equal(true);
    clock.advance(2_000);
    expect(loop.alive(), "31 s into the tick").to.equal(false);
    stop.abort();
  });
});
