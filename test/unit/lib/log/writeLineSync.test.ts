import { expect } from "chai";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const MODULE = fileURLToPath(new URL("../../../../lib/log/writeLineSync.ts", import.meta.url));

/**
 * Runs a child that waits until its stdout pipe has no reader, then writes `lines` lines to it with writeLineSync;
 * it reports on stderr whether any write threw.
 */
function writeToClosedPipe(lines: number): Promise<{ code: number | null; stderr: string }> {
  const script = `
    import { writeLineSync } from ${JSON.stringify(MODULE)};
    process.stdin.once("end", () => {
      try {
        for (let i = 0; i < ${lines}; i++) writeLineSync(1, "line " + i + "\\n");
        process.stderr.write("no throw\\n");
      } catch (err) {
        process.stderr.write("threw " + err.code + "\\n");
        process.exitCode = 3;
      }
    });
    process.stdin.resume();
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  child.stdout.destroy(); // the reader goes away before the first line
  child.stdin.end(); // then the child writes
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr })));
}

describe("writeLineSync", () => {
  it("drops lines once the pipe's reader has gone (EPIPE) instead of failing the caller, as pino does", async () => {
    const { code, stderr } = await writeToClosedPipe(20);
    expect(stderr).to.equal("no throw\n");
    expect(code).to.equal(0);
  });
});
