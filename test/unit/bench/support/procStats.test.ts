import { expect } from "chai";
import { cpuMs, memoryMb, slopePerTenMinutes } from "../../../../bench/support/procStats.js";

describe("slopePerTenMinutes", () => {
  it("gives the rise per 10 minutes of a straight line", () => {
    const samples = [0, 60, 120, 180].map((t) => ({ t, value: 50 + t / 60 })); // 1 MiB a minute
    expect(slopePerTenMinutes(samples)).to.be.closeTo(10, 1e-9);
  });

  it("gives the least-squares slope when the samples are noisy", () => {
    const samples = [
      { t: 0, value: 1 },
      { t: 1, value: 3 },
      { t: 2, value: 2 },
      { t: 3, value: 4 },
    ];
    expect(slopePerTenMinutes(samples)).to.be.closeTo(0.8 * 600, 1e-9);
  });

  it("gives 0 for fewer than two samples or a single instant", () => {
    expect(slopePerTenMinutes([])).to.equal(0);
    expect(slopePerTenMinutes([{ t: 5, value: 9 }])).to.equal(0);
    expect(
      slopePerTenMinutes([
        { t: 5, value: 9 },
        { t: 5, value: 20 },
      ]),
    ).to.equal(0);
  });
});

describe("memoryMb", () => {
  it("reads this process's RSS and peak from /proc", () => {
    const { rss, hwm } = memoryMb(process.pid);
    expect(rss).to.be.greaterThan(10);
    expect(hwm).to.be.at.least(rss);
  });
});

describe("cpuMs", () => {
  it("grows after this process spends CPU", () => {
    const before = cpuMs(process.pid);
    const until = process.cpuUsage().user + 50_000; // spin for 50 ms of user time
    while (process.cpuUsage().user < until);
    expect(cpuMs(process.pid)).to.be.greaterThan(before);
  });
});
