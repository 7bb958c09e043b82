import { expect } from "chai";
import {
  effectiveMinValidityMs,
  nextRefreshAtMs,
  retryDelayMs,
  RETRY_DELAY_DEFAULTS,
} from "../../../../lib/time/refreshSchedule.js";

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const HOUR = 60 * MIN;
const fixed = (v: number) => () => v;

describe("nextRefreshAtMs", () => {
  const cases: Array<{ name: string; lifetime: number; random: number; nowOffset?: number; expected: number }> = [
    { name: "1 h session, no jitter: at 30 min", lifetime: HOUR, random: 0.5, expected: 30 * MIN },
    { name: "1 h session, lowest jitter: 27 min", lifetime: HOUR, random: 0, expected: 27 * MIN },
    {
      name: "1 h session, highest jitter: just under 33 min",
      lifetime: HOUR,
      random: 0.999999,
      expected: 33 * MIN - 1,
    },
    { name: "12 h session: at 6 h", lifetime: 12 * HOUR, random: 0.5, expected: 6 * HOUR },
    { name: "30 min session: capped at expiry - 15 min", lifetime: 30 * MIN, random: 0.999, expected: 15 * MIN },
    { name: "20 s session (short): at 10 s", lifetime: 20_000, random: 0.5, expected: 10_000 },
    { name: "20 s session, highest jitter: 11 s", lifetime: 20_000, random: 0.999999, expected: 10_999 },
    { name: "started late: never before now", lifetime: HOUR, random: 0.5, nowOffset: 40 * MIN, expected: 40 * MIN },
  ];
  for (const c of cases) {
    it(`refreshes ${c.name}`, () => {
      const at = nextRefreshAtMs({
        nowMs: T0 + (c.nowOffset ?? 0),
        obtainedAtMs: T0,
        expiresAtMs: T0 + c.lifetime,
        random: fixed(c.random),
      });
      expect(at - T0).to.equal(c.expected);
    });
  }

  it("keeps every jittered time within ±10 % of the half-lifetime and spreads them out", () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const at = nextRefreshAtMs({ nowMs: T0, obtainedAtMs: T0, expiresAtMs: T0 + HOUR, random }) - T0;
      expect(at).to.be.within(27 * MIN, 33 * MIN);
      seen.add(Math.floor(at / MIN));
    }
    expect(seen.size).to.be.greaterThan(4);
  });

  it("never schedules later than expiry minus the minimum validity for long-enough sessions", () => {
    for (const lifetime of [30 * MIN, 31 * MIN, 35 * MIN, HOUR]) {
      const at = nextRefreshAtMs({
        nowMs: T0,
        obtainedAtMs: T0,
        expiresAtMs: T0 + lifetime,
        jitterFraction: 1,
        random: fixed(0.999999),
      });
      expect(T0 + lifetime - at, `lifetime ${lifetime}`).to.be.at.least(15 * MIN);
    }
  });

  it("scales the minimum validity down for short sessions (a quarter of the lifetime)", () => {
    const at = nextRefreshAtMs({
      nowMs: T0,
      obtainedAtMs: T0,
      expiresAtMs: T0 + 8_000,
      jitterFraction: 1,
      random: fixed(0.999999),
    });
    expect(at - T0).to.equal(6_000);
  });

  it("honours a custom minimum validity", () => {
    const at = nextRefreshAtMs({
      nowMs: T0,
      obtainedAtMs: T0,
      expiresAtMs: T0 + HOUR,
      minValidityMs: 40 * MIN,
      jitterFraction: 1,
      random: fixed(0.999999),
    });
    expect(at - T0).to.equal(45 * MIN); // 1 h < 2 × 40 min: the minimum is scaled to a quarter (15 min)
    const at2 = nextRefreshAtMs({
      nowMs: T0,
      obtainedAtMs: T0,
      expiresAtMs: T0 + 2 * HOUR,
      minValidityMs: 50 * MIN,
      random: fixed(0.999999),
      jitterFraction: 1,
    });
    expect(at2 - T0).to.equal(70 * MIN);
  });

  it("answers now when the credentials are already inside the minimum validity", () => {
    const now = T0 + 50 * MIN;
    expect(nextRefreshAtMs({ nowMs: now, obtainedAtMs: T0, expiresAtMs: T0 + HOUR, random: fixed(0.5) })).to.equal(now);
  });

  it("answers now when the credentials have expired or have no lifetime", () => {
    const now = T0 + 2 * HOUR;
    expect(nextRefreshAtMs({ nowMs: now, obtainedAtMs: T0, expiresAtMs: T0 + HOUR })).to.equal(now);
    expect(nextRefreshAtMs({ nowMs: T0, obtainedAtMs: T0, expiresAtMs: T0 })).to.equal(T0);
    expect(nextRefreshAtMs({ nowMs: T0, obtainedAtMs: T0 + 5, expiresAtMs: T0 + 1 })).to.equal(T0);
    expect(nextRefreshAtMs({ nowMs: T0, obtainedAtMs: T0, expiresAtMs: Number.NaN })).to.equal(T0);
  });

  it("returns an integer millisecond", () => {
    const at = nextRefreshAtMs({ nowMs: T0, obtainedAtMs: T0, expiresAtMs: T0 + 1001, random: fixed(0.123) });
    expect(Number.isInteger(at)).to.equal(true);
  });
});

describe("effectiveMinValidityMs", () => {
  for (const [lifetime, expected] of [
    [HOUR, 15 * MIN],
    [30 * MIN, 15 * MIN],
    [29 * MIN, (29 * MIN) / 4],
    [20_000, 5_000],
    [0, 0],
  ] as const) {
    it(`is ${expected} ms for a ${lifetime} ms session`, () => {
      expect(effectiveMinValidityMs(lifetime)).to.equal(expected);
    });
  }
});

describe("retryDelayMs", () => {
  it("grows exponentially up to the cap (ceiling seen with random → 1)", () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((a) =>
      retryDelayMs(a, { baseMs: 1000, capMs: 30_000, permanent: false, random: fixed(0.9999999) }),
    );
    expect(delays).to.deep.equal([999, 1999, 3999, 7999, 15_999, 29_999, 29_999, 29_999]);
  });

  it("uses full jitter: uniform between 0 and the ceiling", () => {
    expect(retryDelayMs(4, { baseMs: 1000, capMs: 60_000, permanent: false, random: fixed(0) })).to.equal(0);
    expect(retryDelayMs(4, { baseMs: 1000, capMs: 60_000, permanent: false, random: fixed(0.5) })).to.equal(4000);
    for (let i = 0; i < 200; i++) {
      expect(retryDelayMs(3, { baseMs: 1000, capMs: 60_000, permanent: false })).to.be.within(0, 3999);
    }
  });

  it("uses the defaults (1 s base, 2 min cap)", () => {
    expect(retryDelayMs(1, { permanent: false, random: fixed(0.9999999) })).to.equal(RETRY_DELAY_DEFAULTS.baseMs - 1);
    expect(retryDelayMs(50, { permanent: false, random: fixed(0.9999999) })).to.equal(RETRY_DELAY_DEFAULTS.capMs - 1);
  });

  it("retries permanent errors slowly: about 5 min ± 20 %, whatever the attempt", () => {
    for (const attempt of [1, 2, 10, 100]) {
      expect(retryDelayMs(attempt, { permanent: true, random: fixed(0) })).to.equal(240_000);
      expect(retryDelayMs(attempt, { permanent: true, random: fixed(0.5) })).to.equal(300_000);
      expect(retryDelayMs(attempt, { permanent: true, random: fixed(0.9999999) })).to.be.within(359_000, 360_000);
    }
    expect(retryDelayMs(1, { permanent: true, permanentDelayMs: 10_000, random: fixed(0.5) })).to.equal(10_000);
  });

  it("treats attempt 0 or fractional attempts as the first", () => {
    expect(retryDelayMs(0, { baseMs: 500, capMs: 10_000, permanent: false, random: fixed(0.9999999) })).to.equal(499);
  });
});
