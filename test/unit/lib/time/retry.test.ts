import { expect } from "chai";
import { retry } from "../../../../lib/time/retry.js";
import { IamraError, isIamraError } from "../../../../lib/errors.js";
import type { Clock } from "../../../../lib/time/clock.js";

/** A clock whose sleeps resolve at once (recording them) unless the signal is already aborted. */
function fakeClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => 0,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
    },
  };
}
const transient = (n: number) =>
  new IamraError({ code: "RA_SERVER_ERROR", message: `transient ${n}`, retryable: true, step: "create-session" });

describe("retry", () => {
  it("retries retryable errors with capped, jittered delays and returns the first success", async () => {
    const clock = fakeClock();
    let calls = 0;
    const out = await retry(async () => (++calls < 3 ? Promise.reject(transient(calls)) : "ok"), {
      maxAttempts: 5,
      baseMs: 100,
      capMs: 150,
      clock,
      random: () => 0.999,
      isRetryable: (e) => isIamraError(e) && e.retryable,
    });
    expect(out).to.equal("ok");
    expect(calls).to.equal(3);
    expect(clock.sleeps).to.deep.equal([99, 149]); // min(cap, base·2^(n-1)) · 0.999, floored
  });

  it("throws the last error after maxAttempts, and a non-retryable one at once", async () => {
    const clock = fakeClock();
    let calls = 0;
    const err = await retry(async () => Promise.reject(transient(++calls)), {
      maxAttempts: 3,
      baseMs: 1,
      capMs: 1,
      clock,
      isRetryable: () => true,
    }).catch((e) => e);
    expect(err.message).to.equal("transient 3");
    calls = 0;
    const fatal = await retry(async () => Promise.reject(new Error(`fatal ${++calls}`)), {
      maxAttempts: 3,
      baseMs: 1,
      capMs: 1,
      clock,
      isRetryable: () => false,
    }).catch((e) => e);
    expect(fatal.message).to.equal("fatal 1");
  });

  it("turns a stop during the wait into a typed ABORTED error that keeps the last failure", async () => {
    const controller = new AbortController();
    const clock = fakeClock();
    const err = await retry(
      async () => {
        controller.abort(new Error("received SIGTERM"));
        throw transient(1);
      },
      { maxAttempts: 3, baseMs: 1, capMs: 1, clock, isRetryable: () => true, signal: controller.signal },
    ).catch((e) => e);
    // the loop notices the abort before sleeping: the last error itself is thrown
    expect(err.message).to.equal("transient 1");

    const c2 = new AbortController();
    const sleepy: Clock = {
      now: () => 0,
      sleep: (_ms, signal) =>
        new Promise((_r, reject) => signal!.addEventListener("abort", () => reject(signal!.reason))),
    };
    const pending = retry(async () => Promise.reject(transient(1)), {
      maxAttempts: 3,
      baseMs: 1000,
      capMs: 1000,
      clock: sleepy,
      isRetryable: () => true,
      signal: c2.signal,
    });
    setTimeout(() => c2.abort(new Error("received SIGTERM")), 10);
    const aborted = await pending.catch((e) => e);
    expect(isIamraError(aborted)).to.equal(true);
    expect(aborted.code).to.equal("ABORTED");
    expect(aborted.message).to.contain("received SIGTERM").and.contain("RA_SERVER_ERROR: transient 1");
    expect(aborted.step).to.equal("create-session");
  });

  describe("with a throttle budget", () => {
    const throttled = (n: number) =>
      new IamraError({ code: "RA_THROTTLED", message: `throttled ${n}`, retryable: true });
    /** A clock whose sleeps advance its time (recorded), so budgets are measured in simulated time. */
    function advancingClock(): Clock & { sleeps: number[] } {
      let now = 0;
      const sleeps: number[] = [];
      return { sleeps, now: () => now, sleep: async (ms) => void (sleeps.push(ms), (now += ms)) };
    }
    const base = {
      maxAttempts: 3,
      baseMs: 100,
      capMs: 100,
      random: () => 0.5,
      isRetryable: () => true,
      throttle: {
        baseMs: 1000,
        capMs: 3000,
        budgetMs: 60_000,
        isThrottled: (e: unknown) => (e as IamraError).code === "RA_THROTTLED",
      },
    };

    it("retries throttling past maxAttempts, with its own capped backoff, until success", async () => {
      const clock = advancingClock();
      let calls = 0;
      const out = await retry(async () => (++calls <= 10 ? Promise.reject(throttled(calls)) : "ok"), {
        ...base,
        clock,
      });
      expect(out).to.equal("ok");
      expect(calls).to.equal(11);
      // ceilings 1 s, 2 s, then the 3 s cap; random 0.5 takes half
      expect(clock.sleeps).to.deep.equal([500, 1000, 1500, 1500, 1500, 1500, 1500, 1500, 1500, 1500]);
    });

    it("gives up with the throttling error when the next attempt would start after the budget", async () => {
      const clock = advancingClock();
      let calls = 0;
      const throttle = { ...base.throttle, budgetMs: 5000 };
      const always = async () => Promise.reject(throttled(++calls));
      const err = await retry(always, { ...base, clock, throttle }).catch((e) => e);
      expect(err.message).to.equal(`throttled ${calls}`);
      // 500 + 1000 + 1500 = 3000 ms waited; a fourth wait of 1500 ms ends at 4500 ≤ 5000, a fifth would end at 6000
      expect(clock.sleeps).to.deep.equal([500, 1000, 1500, 1500]);
      expect(calls).to.equal(5);
    });

    it("still counts other retryable errors against maxAttempts", async () => {
      const clock = advancingClock();
      const errors = [throttled(1), transient(2), throttled(3), transient(4), throttled(5), transient(6), throttled(7)];
      let calls = 0;
      const err = await retry(async () => Promise.reject(errors[calls++]), { ...base, clock }).catch((e) => e);
      expect(err.message).to.equal("transient 6"); // the third non-throttled failure: 3 of maxAttempts 3
      expect(calls).to.equal(6);
    });

    it("waits at least the Retry-After the error carries, within the budget", async () => {
      const clock = advancingClock();
      let calls = 0;
      const once = async () => (++calls === 1 ? Promise.reject(throttled(1)) : "ok");
      await retry(once, { ...base, clock, retryAfterMs: () => 7000 });
      expect(clock.sleeps).to.deep.equal([7000]);
      calls = 0;
      const always = async () => Promise.reject(throttled(++calls));
      const tooLong = await retry(always, { ...base, clock: advancingClock(), retryAfterMs: () => 120_000 }).catch(
        (e) => e,
      );
      expect(tooLong.message).to.equal("throttled 1"); // asked to wait past the budget: fail now, not after 2 minutes
    });
  });
});
