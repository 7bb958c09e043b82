import { expect } from "chai";
import { shouldRenew, tokenExpiresAtMs, tokenRenewAtMs } from "../../../../lib/vault/tokenRenewal.js";

const T0 = 1_700_000_000_000;
const auth = { leaseDurationSec: 3600, obtainedAtMs: T0, renewable: true };

describe("tokenExpiresAtMs", () => {
  it("adds the lease duration to the time the token was obtained", () =>
    expect(tokenExpiresAtMs(auth)).to.equal(T0 + 3_600_000));
  it("is Infinity for a token without a TTL", () =>
    expect(tokenExpiresAtMs({ ...auth, leaseDurationSec: 0 })).to.equal(Infinity));
});

describe("tokenRenewAtMs", () => {
  it("is at 0.67 of the lifetime by default", () => expect(tokenRenewAtMs(auth)).to.equal(T0 + 2_412_000));
  it("rejects fractions outside (0, 1)", () => {
    expect(() => tokenRenewAtMs(auth, { renewAtFraction: 1 })).to.throw(RangeError);
    expect(() => tokenRenewAtMs(auth, { renewAtFraction: 0 })).to.throw(RangeError);
  });
});

describe("shouldRenew", () => {
  const cases: Array<[string, typeof auth, number, number | undefined, boolean]> = [
    ["before 2/3 of the lifetime", auth, T0 + 2_411_999, undefined, false],
    ["at 2/3 of the lifetime", auth, T0 + 2_412_000, undefined, true],
    ["after expiry", auth, T0 + 4_000_000, undefined, true],
    ["at half the lifetime with renewAtFraction 0.5", auth, T0 + 1_800_000, 0.5, true],
    ["for a non-renewable token", { ...auth, renewable: false }, T0 + 3_000_000, undefined, false],
    ["for a token without a TTL", { ...auth, leaseDurationSec: 0 }, T0 + 9e12, undefined, false],
  ];
  for (const [name, a, now, fraction, expected] of cases) {
    it(`is ${expected} ${name}`, () => expect(shouldRenew(a, now, { renewAtFraction: fraction })).to.equal(expected));
  }
});
