import { expect } from "chai";
import { refreshCycleBudgetMs } from "../../../../lib/refresh/refreshCycleBudget.js";

describe("refreshCycleBudgetMs", () => {
  const cases: Array<[string, Parameters<typeof refreshCycleBudgetMs>[0], number]> = [
    // RA: 3 × 10 s + 2 × 20 s backoff = 70 s; + 30 s margin
    ["files, no chaining", { timeoutMs: 10_000, maxAttempts: 3, assumeRole: false }, 100_000],
    // STS doubles the AWS part: 140 s + 30 s
    ["files, role chaining", { timeoutMs: 10_000, maxAttempts: 3, assumeRole: true }, 170_000],
    // Vault: 5 calls × (2 × 2.1 s + 1 × 10 s) = 71 s; RA: 1 × 1 s; + 30 s
    [
      "vault, short timeouts",
      { vault: { timeoutMs: 2_000, maxAttempts: 2 }, timeoutMs: 1_000, maxAttempts: 1, assumeRole: false },
      102_000,
    ],
  ];
  for (const [name, input, expected] of cases) {
    it(`allows every attempt to time out (${name})`, () => expect(refreshCycleBudgetMs(input)).to.equal(expected));
  }

  it("grows with the timeout, so a longer --timeout never makes a healthy cycle look stuck", () => {
    const base = { timeoutMs: 10_000, maxAttempts: 3, assumeRole: false };
    expect(refreshCycleBudgetMs({ ...base, timeoutMs: 60_000 }) - refreshCycleBudgetMs(base)).to.equal(150_000);
  });
});
