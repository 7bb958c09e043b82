import { expect } from "chai";
import {
  enumParser,
  intParser,
  parseBool,
  parseDurationMs,
  parseFileMode,
  parseListenAddress,
  parsePositiveDurationMs,
  parseProfileName,
  parseUrl,
} from "../../../../lib/config/parsers.js";

describe("parsers", () => {
  const durations: Array<[string, number]> = [
    ["90s", 90_000],
    ["15m", 900_000],
    ["1h30m", 5_400_000],
    ["500ms", 500],
    ["3600", 3_600_000],
    ["1.5s", 1500],
  ];
  for (const [raw, ms] of durations)
    it(`parseDurationMs reads "${raw}" as ${ms} ms`, () => expect(parseDurationMs(raw)).to.equal(ms));
  for (const bad of ["", "1x", "m", "1h 30m", "-5s"])
    it(`parseDurationMs refuses "${bad}"`, () => expect(() => parseDurationMs(bad)).to.throw(/not a duration/));

  it("parsePositiveDurationMs refuses zero (a zero timeout fails every call)", () => {
    expect(() => parsePositiveDurationMs("0s")).to.throw(/more than zero/);
    expect(parsePositiveDurationMs("1ms")).to.equal(1);
  });

  it("parsePositiveDurationMs refuses timeouts above 2^31-1 ms (Node fires such timers after 1 ms)", () => {
    for (const raw of ["25d", "2147484", "24d20h31m24s"]) {
      expect(() => parsePositiveDurationMs(raw), raw).to.throw(/at most 24d/);
    }
    expect(parsePositiveDurationMs("24d")).to.equal(24 * 86_400_000);
    expect(parsePositiveDurationMs("2147483647ms")).to.equal(2 ** 31 - 1);
  });

  it("intParser enforces its range", () => {
    const p = intParser(1, 20);
    expect(p("3")).to.equal(3);
    expect(() => p("0")).to.throw(/outside 1..20/);
    expect(() => p("2.5")).to.throw(/whole number/);
  });

  it("parseBool, enumParser, parseFileMode and parseUrl accept and refuse as documented", () => {
    expect(["1", "true", "yes", "on"].map(parseBool)).to.deep.equal([true, true, true, true]);
    expect(["0", "false", "no", "off"].map(parseBool)).to.deep.equal([false, false, false, false]);
    expect(() => parseBool("maybe")).to.throw(/not a boolean/);
    expect(enumParser(["a", "b"] as const)("b")).to.equal("b");
    expect(() => enumParser(["a", "b"] as const)("c")).to.throw(/not one of a, b/);
    expect(parseFileMode("0640")).to.equal(0o640);
    expect(() => parseFileMode("0999")).to.throw(/octal/);
    expect(parseUrl("http://127.0.0.1:8200/")).to.equal("http://127.0.0.1:8200");
    expect(() => parseUrl("ftp://x")).to.throw(/http/);
  });

  const fileModes: Array<[string, number | RegExp]> = [
    ["0640", 0o640],
    ["600", 0o600],
    ["0644", 0o644],
    ["0660", 0o660],
    ["0400", 0o400],
    ["0000", /owner cannot read/],
    ["0200", /owner cannot read/],
    ["0777", /executable/],
    ["4640", /setuid/],
    ["4777", /setuid/],
    ["2640", /setuid/],
    ["1640", /sticky/],
    ["0750", /executable/],
    ["0642", /everyone may write/],
    ["0666", /everyone may write/],
  ];
  for (const [raw, expected] of fileModes) {
    it(`parseFileMode ${typeof expected === "number" ? "accepts" : "refuses"} ${raw}`, () => {
      if (typeof expected === "number") expect(parseFileMode(raw)).to.equal(expected);
      else expect(() => parseFileMode(raw)).to.throw(expected);
    });
  }

  const profiles: Array<[string, string | undefined]> = [
    ["default", "default"],
    [" app.prod ", "app.prod"],
    ["team/app@acct:1+x_y-z", "team/app@acct:1+x_y-z"],
    ["a]b", undefined],
    ["[a", undefined],
    ["a\nb", undefined],
    ["a b", undefined],
    ["a#b", undefined],
    ["a;b", undefined],
    ["a=b", undefined],
    ["", undefined],
    ["x".repeat(65), undefined],
    ["a\u0000b", undefined],
  ];
  for (const [raw, expected] of profiles) {
    it(`parseProfileName ${expected ? "accepts" : "refuses"} ${JSON.stringify(raw)}`, () => {
      if (expected) expect(parseProfileName(raw)).to.equal(expected);
      else expect(() => parseProfileName(raw)).to.throw(/profile name/);
    });
  }

  const hosts: Array<[string, boolean]> = [
    ["0.0.0.0", true],
    ["127.0.0.1", true],
    ["::", true],
    ["::1", true],
    ["localhost", true],
    ["10.0.0.7", true],
    ["ops.example.invalid", false],
    ["pod-ip", false],
    ["[::1]", false],
    ["", false],
    ["127.0.0.1:9913", false],
  ];
  for (const [raw, ok] of hosts) {
    it(`parseListenAddress ${ok ? "accepts" : "refuses"} ${JSON.stringify(raw)} (no DNS)`, () => {
      if (ok) expect(parseListenAddress(raw)).to.equal(raw);
      else expect(() => parseListenAddress(raw)).to.throw(/not an IP address/);
    });
  }
});
