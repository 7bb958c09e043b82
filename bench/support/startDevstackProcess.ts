/** Runs the benchmarks' devstack in a child process, so that its work does not share the benchmark's event loop. */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import type { DevstackInfo } from "../../devstack/devstackInfo.js";

const CHILD = fileURLToPath(new URL("./devstackChild.ts", import.meta.url));

/** A devstack running in its own process. */
export interface DevstackProcess {
  info: DevstackInfo;
  /** A demo/app service-account token (24 h) written for the benchmark. */
  tokenFile: string;
  pid: number;
  /** CPU time (user + system) the devstack process has used so far, ms. */
  cpuMs(): Promise<number>;
  close(): Promise<void>;
}

/** Starts the devstack (stand-ins on free loopback ports, files in `dir`) in a child Node process running tsx. */
export async function startDevstackProcess(dir: string): Promise<DevstackProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, dir], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const r = await lines.next();
    if (r.done) throw new Error(`the devstack process ended (exit code ${child.exitCode})`);
    return r.value;
  };
  const exited = once(child, "exit");
  const { info, tokenFile } = JSON.parse(await next()) as { info: DevstackInfo; tokenFile: string };
  return {
    info,
    tokenFile,
    pid: child.pid!,
    async cpuMs() {
      child.stdin.write("cpu\n");
      return (JSON.parse(await next()) as { cpuMs: number }).cpuMs;
    },
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}
