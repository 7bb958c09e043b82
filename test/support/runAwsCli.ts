import { spawn } from "node:child_process";
import { peers } from "./peers.js";

/** Runs the AWS CLI (the pinned v1 test peer) with a clean environment plus `env`; returns exit code and output. */
export function runAwsCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(peers.aws, args, { env: { PATH: peers.path, ...env } });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d));
    p.stderr.on("data", (d: Buffer) => (stderr += d));
    p.on("error", reject);
    p.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
