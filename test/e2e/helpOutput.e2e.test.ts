import { expect } from "chai";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { CLI_PATH, DEVSTACK_CLI_PATH, cliEnvironment } from "../support/runCli.js";

/** Runs `argv` with a stdout pipe whose reader has gone before the process writes, as `| head -1` does to help. */
async function runWithClosedStdout(entry: string, argv: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [entry, ...argv], {
    env: cliEnvironment({}),
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.destroy();
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const [code] = (await once(child, "close")) as [number | null];
  return { code, stderr };
}

describe("help and version output (end to end)", function () {
  this.timeout(60_000);

  for (const argv of [["--help"], ["init", "--help"], ["credential-process", "--help"], ["--version"]]) {
    it(`iamra-vault ${argv.join(" ")} exits 0 without an error when stdout's reader has gone`, async () => {
      const { code, stderr } = await runWithClosedStdout(CLI_PATH, argv);
      expect(stderr).to.equal("");
      expect(code).to.equal(0);
    });
  }

  it("the devstack's --help does the same", async () => {
    const { code, stderr } = await runWithClosedStdout(DEVSTACK_CLI_PATH, ["start", "--help"]);
    expect(stderr).to.equal("");
    expect(code).to.equal(0);
  });

  it("a usage error still reaches stderr with exit code 2 when stdout is closed", async () => {
    const { code, stderr } = await runWithClosedStdout(CLI_PATH, ["init", "--bogus"]);
    expect(stderr).to.contain("unknown option '--bogus'");
    expect(code).to.equal(2);
  });
});
