import { expect } from "chai";
import { spawn } from "node:child_process";
import { watchRefreshes } from "../../../../bench/support/watchRefreshes.js";

/** A Node child that prints `lines` on stdout, then stays alive (`stay`) or exits with code 3. */
function child(lines: string[], stay: boolean) {
  const script =
    `process.stdout.write(${JSON.stringify(lines.map((l) => `${l}\n`).join(""))});` +
    (stay ? "setInterval(() => {}, 1 << 30);" : "process.stderr.write('gone\\n'); process.exitCode = 3;");
  return spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "pipe"] });
}

const classify = (line: string) => ({
  refreshed: line === "refreshed",
  failed: line === "failed",
  endpoint: line.startsWith("url ") ? line.slice(4) : undefined,
});

describe("watchRefreshes", () => {
  it("counts refreshes and failures and keeps the first endpoint when the lines arrive", async () => {
    const p = watchRefreshes(
      "child",
      child(["url http://a", "refreshed", "failed", "url http://b", "refreshed"], true),
      classify,
    );
    try {
      await p.refreshCount(2, 20_000);
      expect(p.refreshes()).to.equal(2);
      expect(p.failures()).to.equal(1);
      expect(p.endpoint()).to.equal("http://a");
      expect(p.exited()).to.equal(false);
    } finally {
      await p.stop();
    }
    expect(p.exited()).to.equal(true);
  });

  it("rejects with the exit code and stderr when the process ends before enough refreshes", async () => {
    const p = watchRefreshes("child", child(["refreshed"], false), classify);
    const err = await p.refreshCount(2, 20_000).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).to.match(/^child exited \(3\) after 1 refreshes:\ngone/);
  });
});
