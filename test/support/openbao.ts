/** Test fixture: a real OpenBao server (`bao server -dev`, in memory) on a free loopback port. */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { peers } from "./peers.js";

/** A running OpenBao dev server. */
export interface OpenBao {
  /** http://127.0.0.1:<port> */
  url: string;
  rootToken: string;
  /** The dev server's unseal key (for `sys/unseal` after a seal). */
  unsealKey: string;
  /** Where the server's output goes. */
  logPath: string;
  /** The server's version as reported by `sys/health`. */
  version: string;
  /**
   * Calls the HTTP API with the root token (or `token`); returns status and parsed JSON body (undefined when empty).
   */
  api(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
  seal(): Promise<void>;
  unseal(): Promise<void>;
  /** Stops the server and starts a fresh one (empty, dev mode) on the same port and root token. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const START_TIMEOUT_MS = 30_000;

/** Starts `bao server -dev` on a free loopback port with a root token chosen here; waits for `sys/health`. */
export async function startOpenBao(opts: { rootToken?: string } = {}): Promise<OpenBao> {
  const bao = peers.bao;
  const dir = await mkdtemp(join(tmpdir(), "iamra-openbao-"));
  const logPath = join(dir, "bao.log");
  const rootToken = opts.rootToken ?? `root-${randomBytes(8).toString("hex")}`;
  // the port is picked here and bound by OpenBao later: another process may take it in between (then start again)
  let port = 0;
  let url = "";
  let child: ChildProcess | undefined;
  let unsealKey = "";
  let version = "";
  let generation = 0;

  async function api(
    method: string,
    path: string,
    body?: unknown,
    token = rootToken,
  ): Promise<{ status: number; body: any }> {
    const res = await fetch(`${url}/v1/${path.replace(/^\//, "")}`, {
      method,
      headers: { "X-Vault-Token": token, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  async function launch(): Promise<void> {
    generation += 1;
    const log = createWriteStream(logPath, { flags: "a" });
    log.write(`--- start ${generation} ---\n`);
    const p = spawn(
      bao,
      [
        "server",
        "-dev",
        `-dev-root-token-id=${rootToken}`,
        `-dev-listen-address=127.0.0.1:${port}`,
        "-dev-no-store-token",
      ],
      { stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env.PATH ?? "", HOME: dir, BAO_LOG_LEVEL: "info" } },
    );
    child = p;
    let out = "";
    const onData = (d: Buffer) => {
      out += d.toString();
      log.write(d);
    };
    p.stdout!.on("data", onData);
    p.stderr!.on("data", onData);
    let exited: string | undefined;
    p.once("exit", (code, signal) => {
      exited = `exited with ${code ?? signal}`;
      log.end();
    });
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (exited) throw new Error(`OpenBao ${exited} during start; its log: ${logPath}`);
      if (Date.now() > deadline) {
        p.kill("SIGKILL");
        throw new Error(`OpenBao did not answer sys/health within ${START_TIMEOUT_MS} ms; its log: ${logPath}`);
      }
      const key = /Unseal Key: (\S+)/.exec(out);
      if (key) {
        const health = await fetch(`${url}/v1/sys/health`, { signal: AbortSignal.timeout(2_000) }).catch(
          () => undefined,
        );
        if (health?.status === 200) {
          unsealKey = key[1]!;
          version = ((await health.json()) as { version: string }).version;
          return;
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function kill(): Promise<void> {
    const p = child;
    child = undefined;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => p.kill("SIGKILL"), 5_000);
      p.once("exit", () => {
        clearTimeout(t);
        resolve();
      });
      p.kill("SIGTERM");
    });
  }

  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    try {
      await launch();
      break;
    } catch (err) {
      await kill();
      const log = await readFile(logPath, "utf8").catch(() => "");
      if (attempt === 3 || !/address already in use/i.test(log.split(`--- start ${generation} ---`).pop()!)) throw err;
    }
  }
  const bao_: OpenBao = {
    url,
    rootToken,
    get unsealKey() {
      return unsealKey;
    },
    logPath,
    get version() {
      return version;
    },
    api,
    async seal() {
      const r = await api("PUT", "sys/seal");
      if (r.status !== 204) throw new Error(`seal failed: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    },
    async unseal() {
      const r = await api("PUT", "sys/unseal", { key: unsealKey });
      if (r.status !== 200 || r.body.sealed !== false)
        throw new Error(`unseal failed: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    },
    async restart() {
      await kill();
      await launch();
    },
    stop: kill,
  };
  return bao_;
}

/** The server log's last lines, for a failure message. */
export async function openBaoLogTail(bao: OpenBao, lines = 30): Promise<string> {
  const text = await readFile(bao.logPath, "utf8").catch(() => "");
  return text.split("\n").slice(-lines).join("\n");
}
