/** Test helper: the built CLI as a long-running child process whose JSON log lines can be awaited. */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { CLI_PATH, cliEnvironment, type CliSpawnOptions } from "./runCli.js";

/** A JSON log line (pino). */
export type LogLine = Record<string, unknown>;

/** A running CLI process. */
export interface RunningCli {
  child: ChildProcess;
  pid: number;
  /** Every JSON line written to stdout so far, in order. */
  lines: LogLine[];
  stdout(): string;
  stderr(): string;
  /**
   * Resolves with the first line (at index >= `from`, default 0) matching `match`; rejects after `timeoutMs` or at
   * exit.
   */
  waitFor(
    match: (l: LogLine) => boolean,
    opts?: { timeoutMs?: number; from?: number; what?: string },
  ): Promise<LogLine>;
  /** Resolves at exit with the code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends SIGTERM and waits for the exit (SIGKILL after `timeoutMs`, default 15 s). */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL if still running (for after() hooks). */
  kill(): void;
}

/** Starts the built CLI with `args` and a clean environment plus `env`; fails if dist/ was not built. */
export function startCli(args: string[], opts: CliSpawnOptions = {}): RunningCli {
  const cli = opts.cli ?? CLI_PATH;
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run "npm run build" first`);
  const child = spawn(opts.node ?? process.execPath, [cli, ...args], {
    env: cliEnvironment(opts),
    cwd: opts.cwd,
    uid: opts.uid,
    gid: opts.gid,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: LogLine[] = [];
  let out = "";
  let err = "";
  let partial = "";
  let running = true;
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  child.stdout!.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    out += text;
    partial += text;
    const parts = partial.split("\n");
    partial = parts.pop()!;
    for (const l of parts) {
      if (!l.startsWith("{")) continue;
      try {
        lines.push(JSON.parse(l) as LogLine);
      } catch {
        lines.push({ unparsed: l }); // kept, so a test can see it
      }
    }
    notify();
  });
  child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("close", (code, signal) => {
      running = false;
      notify();
      resolve({ code, signal });
    });
  });

  const waitFor: RunningCli["waitFor"] = (match, o = {}) =>
    new Promise((resolve, reject) => {
      let checked = o.from ?? 0;
      const what = o.what ?? "a matching log line";
      const done = () => {
        waiters.delete(check);
        clearTimeout(timer);
      };
      const check = () => {
        for (; checked < lines.length; checked++) {
          if (match(lines[checked]!)) {
            done();
            return resolve(lines[checked]!);
          }
        }
        if (!running) {
          done();
          reject(new Error(`process exited before ${what}; stderr: ${err.slice(0, 2000)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `timed out after ${o.timeoutMs ?? 10_000} ms waiting for ${what}; last lines: ${lines
              .slice(-5)
              .map((l) => l.msg)
              .join(" | ")}`,
          ),
        );
      }, o.timeoutMs ?? 10_000);
      waiters.add(check);
      check();
    });

  return {
    child,
    pid: child.pid!,
    lines,
    stdout: () => out,
    stderr: () => err,
    waitFor,
    exited,
    async stop(timeoutMs = 15_000) {
      if (running) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      const r = await exited;
      clearTimeout(timer);
      return r;
    },
    kill() {
      if (running) child.kill("SIGKILL");
    },
  };
}
