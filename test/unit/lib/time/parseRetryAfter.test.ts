import { expect } from "chai";
import { parseRetryAfterMs } from "../../../../lib/time/parseRetryAfter.js";

describe("parseRetryAfterMs", () => {
  const now = Date.UTC(2030, 0, 1, 12, 0, 0);
  const cases: Array<[string | string[] | undefined, number | undefined]> = [
    ["3", 3000],
    [" 0 ", 0],
    [["2", "9"], 2000],
    ["Tue, 01 Jan 2030 12:00:10 GMT", 10_000],
    ["Tue, 01 Jan 2030 11:59:00 GMT", 0],
    ["soon", undefined],
    ["-1", undefined],
    ["", undefined],
    [undefined, undefined],
  ];
  for (const [value, expected] of cases) {
    it(`reads ${JSON.stringify(value)} as ${expected} ms`, () => {
      expect(parseRetryAfterMs(value, now)).to.equal(expected);
    });
  }
});
