import { expect } from "chai";
import { createImdsTokenStore } from "../../../../lib/deliver/imdsTokenStore.js";
import { manualClock } from "../../../support/manualClock.js";

describe("createImdsTokenStore", () => {
  it("issues distinct URL-safe tokens that count down and expire", () => {
    const clock = manualClock();
    const tokens = createImdsTokenStore({ clock });
    const a = tokens.issue(60);
    const b = tokens.issue(60);
    expect(a).to.match(/^[A-Za-z0-9_-]{64}$/);
    expect(a).to.not.equal(b);
    expect(tokens.remainingSeconds(a)).to.equal(60);
    clock.advance(30_500);
    expect(tokens.remainingSeconds(a)).to.equal(29);
    clock.advance(29_500);
    expect(tokens.remainingSeconds(a)).to.equal(undefined);
    expect(tokens.size(), "the expired token was dropped on lookup").to.equal(1);
    expect(tokens.remainingSeconds("unknown")).to.equal(undefined);
  });

  it("stays bounded: evicts the earliest-expiring token when full (the official helper never did)", () => {
    const clock = manualClock();
    const evicted: string[] = [];
    const tokens = createImdsTokenStore({ clock, maxTokens: 3, onEvict: (r) => evicted.push(r) });
    const long = tokens.issue(21_600);
    const short = tokens.issue(10);
    const mid = tokens.issue(600);
    const fourth = tokens.issue(300);
    expect(tokens.size()).to.equal(3);
    expect(tokens.remainingSeconds(short), "earliest-expiring evicted").to.equal(undefined);
    expect(tokens.remainingSeconds(long)).to.equal(21_600);
    expect(tokens.remainingSeconds(mid)).to.equal(600);
    expect(tokens.remainingSeconds(fourth)).to.equal(300);
    expect(evicted).to.deep.equal(["full"]);
  });

  it("drops expired tokens first when full", () => {
    const clock = manualClock();
    const evicted: string[] = [];
    const tokens = createImdsTokenStore({ clock, maxTokens: 2, onEvict: (r) => evicted.push(r) });
    const a = tokens.issue(5);
    const b = tokens.issue(100);
    clock.advance(6_000);
    tokens.issue(50);
    expect(evicted).to.deep.equal(["expired"]);
    expect(tokens.remainingSeconds(a)).to.equal(undefined);
    expect(tokens.remainingSeconds(b)).to.equal(94);
  });

  it("keeps at most maxTokens after many issues (301 tokens with the default cap of 256 in the helper's test)", () => {
    const tokens = createImdsTokenStore({ clock: manualClock(), maxTokens: 256 });
    const first = tokens.issue(21_600);
    for (let i = 0; i < 300; i++) tokens.issue(21_600);
    expect(tokens.size()).to.equal(256);
    expect(tokens.remainingSeconds(first), "the first token no longer works").to.equal(undefined);
  });
});
