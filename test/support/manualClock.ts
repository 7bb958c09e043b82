/** Test helper: a clock that moves only when the test calls advance(); sleeps resolve when their time is reached. */
import type { Clock } from "../../lib/time/clock.js";

/** A manual Clock plus advance()/set() for tests. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(nowMs: number): void;
}

/** A clock starting at `startMs` (epoch ms) that never moves by itself. */
export function manualClock(startMs = 1_700_000_000_000): ManualClock {
  let now = startMs;
  const sleepers: Array<{ at: number; resolve: () => void }> = [];
  const wake = () => {
    for (const s of sleepers.filter((x) => x.at <= now)) {
      sleepers.splice(sleepers.indexOf(s), 1);
      s.resolve();
    }
  };
  return {
    now: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        sleepers.push({ at: now + Math.max(0, ms), resolve });
        signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
        wake();
      }),
    advance(ms) {
      now += ms;
      wake();
    },
    set(nowMs) {
      now = nowMs;
      wake();
    },
  };
}
