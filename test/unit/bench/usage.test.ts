import { expect } from "chai";
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const benchDir = fileURLToPath(new URL("../../../bench/", import.meta.url));

describe("the benchmarks' --help", function () {
  this.timeout(60_000);
  const benches = readdirSync(benchDir).filter((f) => f.endsWith(".bench.ts"));

  it("covers every benchmark", () => expect(benches.length).to.be.greaterThan(5));

  for (const file of benches) {
    it(`${file} prints its header with the command to run it and exits 0`, async () => {
      const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", `${benchDir}${file}`, "--help"], {
        timeout: 30_000,
      });
      expect(stdout).to.match(/^Benchmark/);
      expect(stdout).to.contain("Run:");
      expect(stdout).to.not.contain("/**");
      expect(stderr).to.equal("");
    });
  }
});
