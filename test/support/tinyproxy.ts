/** Test fixture: a real tinyproxy (the pinned Debian build in .peers/) on a free loopback port, with its log. */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { connect, createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { peers } from "./peers.js";

/** A running tinyproxy. */
export interface Tinyproxy {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** The proxy's log so far (LogLevel Info: one "Request" line per request or CONNECT). */
  log(): Promise<string>;
  /** The "CONNECT host:port" and "METHOD http://…" request lines the proxy logged. */
  requests(): Promise<string[]>;
  stop(): Promise<void>;
}

/** Starts tinyproxy; `refuse` makes it deny every client (403), as a proxy whose rules exclude us would. */
export async function startTinyproxy(opts: { refuse?: boolean } = {}): Promise<Tinyproxy> {
  const binary = peers.tinyproxy;
  const dir = await mkdtemp(join(tmpdir(), "iamra-tinyproxy-"));
  const logPath = join(dir, "tinyproxy.log");
  let lastError = "";
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const conf = [
      `Port ${port}`,
      "Listen 127.0.0.1",
      opts.refuse ? "Allow 192.0.2.1" : "Allow 127.0.0.1",
      `LogFile "${logPath}"`,
      "LogLevel Info",
      `PidFile "${join(dir, "tinyproxy.pid")}"`,
      "MaxClients 50",
      "Timeout 30",
      "DisableViaHeader Yes",
    ].join("\n");
    await writeFile(join(dir, "tinyproxy.conf"), conf + "\n");
    const child = spawn(binary, ["-d", "-c", join(dir, "tinyproxy.conf")], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    if (await listening(port, child)) {
      const log = () => readFile(logPath, "utf8").catch(() => "");
      return {
        url: `http://127.0.0.1:${port}`,
        port,
        log,
        requests: async () =>
          (await log()).split("\n").flatMap((l) => /Request \(file descriptor \d+\): (\S+ \S+)/.exec(l)?.[1] ?? []),
        stop: async () => {
          await stopChild(child);
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    await stopChild(child);
    lastError = `${stderr}\n${await readFile(logPath, "utf8").catch(() => "")}`;
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(`tinyproxy did not start (log and stderr follow)\n${lastError}`);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Polls until the port accepts connections (true) or the process exits or 10 s pass (false). */
async function listening(port: number, child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, "127.0.0.1");
      s.once("connect", () => (s.destroy(), resolve(true)));
      s.once("error", () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}
