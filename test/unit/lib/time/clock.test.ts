import { expect } from "chai";
import { MAX_TIMER_MS, systemClock } from "../../../../lib/time/clock.js";

describe("systemClock", () => {
  it("does not wake early from a sleep longer than Node's largest timer (2^31-1 ms)", async () => {
    const stop = new AbortController();
    let outcome = "sleeping";
    const sleeping = systemClock.sleep(MAX_TIMER_MS + 60_000, stop.signal).then(
      () => (outcome = "woke"),
      () => (outcome = "aborted"),
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(outcome, "a 24.8-day sleep must still be sleeping after 50 ms").to.equal("sleeping");
    stop.abort(new Error("test over"));
    await sleeping;
    expect(outcome).to.equal("aborted");
  });

  it("still wakes after a short sleep", async () => {
    const started = Date.now();
    await systemClock.sleep(20);
    expect(Date.now() - started).to.be.at.least(19);
  });
});
