import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { IamraError } from "../../lib/errors.js";

/** A running `bao server -dev` child process (in memory, unsealed, one root token). */
export interface OpenBaoDevServer {
  /** http://<host>:<port> */
  url: string;
  rootToken: string;
  /** The server's version as `sys/health` reports it, e.g. "v2.7.2". */
  version: string;
  pid: number;
  /** The file the server's output goes to. */
  logPath: string;
  /** Stops the server (SIGTERM, SIGKILL after 5 s) and waits for it to exit. */
  close(): Promise<void>;
}

/** Options of startOpenBaoDevServer. */
export interface OpenBaoDevServerOptions {
  baoPath: string;
  host: string;
  port: number;
  logPath: string;
  /** How long to wait for `sys/health` to answer 200 (ms). */
  startTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `bao server -dev` listening on host:port with a fresh random root token, given in the environment
 * (BAO_DEV_ROOT_TOKEN_ID) rather than argv, which every local user can read. Waits until `sys/health` answers 200.
 */
export async function startOpenBaoDevServer(o: OpenBaoDevServerOptions): Promise<OpenBaoDevServer> {
  const rootToken = `devstack-root-${randomBytes(12).toString("hex")}`; // OpenBao reserves the "s." prefix
  const url = `http://${o.host.includes(":") ? `[${o.host}]` : o.host}:${o.port}`;
  const log = createWriteStream(o.logPath, { flags: "a", mode: 0o600 });
  const child = spawn(o.baoPath, ["server", "-dev", `-dev-listen-address=${o.host}:${o.port}`, "-dev-no-store-token"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", BAO_DEV_ROOT_TOKEN_ID: rootToken },
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  let exitText: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once("error", (err) => {
      exitText = `could not be started (${err.message})`;
      resolve();
    });
    child.once("exit", (code, signal) => {
      exitText ??= `exited with ${code ?? signal}`;
      resolve();
    });
  });
  void exited.then(() => log.end());

  const close = async (): Promise<void> => {
    if (exitText === undefined) {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(killer);
    }
  };
  const failure = (what: string, cause?: unknown) =>
    new IamraError({
      code: "DEVSTACK_BAO_FAILED",
      message: `OpenBao (${o.baoPath}) ${what}`,
      hint: `its output is in ${o.logPath}; is port ${o.port} free?`,
      cause,
    });

  const deadline = Date.now() + (o.startTimeoutMs ?? 30_000);
  for (;;) {
    if (exitText !== undefined) throw failure(exitText);
    if (Date.now() > deadline) {
      await close();
      throw failure(`did not answer sys/health within ${o.startTimeoutMs ?? 30_000} ms`);
    }
    const health = await fetch(`${url}/v1/sys/health`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
    if (health?.status === 200) {
      const version = ((await health.json()) as { version?: string }).version ?? "unknown";
      return { url, rootToken, version: `v${version.replace(/^v/, "")}`, pid: child.pid!, logPath: o.logPath, close };
    }
    await health?.body?.cancel();
    await sleep(100);
  }
}
