/** Follows a long-running benchmark process (the refresher, its floor) by its stdout lines. */
import type { ChildProcessByStdio } from "node:child_process";
import type { Readable } from "node:stream";

/** What one stdout line of the process says. */
export interface LineMeaning {
  refreshed?: boolean;
  failed?: boolean;
  /** The container endpoint's URL, once it listens. */
  endpoint?: string;
}

/** A process whose refreshes are counted as it reports them. */
export interface WatchedProcess {
  readonly pid: number;
  refreshes(): number;
  failures(): number;
  /** The endpoint's URL, "" until the process has printed it. */
  endpoint(): string;
  /** Whether the process has ended. */
  exited(): boolean;
  /** What it wrote to stderr so far. */
  stderr(): string;
  /** Resolves once the process has reported `n` refreshes; rejects if it exits first or `timeoutMs` passes. */
  refreshCount(n: number, timeoutMs: number): Promise<void>;
  /** Sends SIGTERM and resolves once it has exited. */
  stop(): Promise<void>;
}

/** Watches `child` (stdout and stderr piped), reading each complete stdout line with `classify`. */
export function watchRefreshes(
  name: string,
  child: ChildProcessByStdio<null, Readable, Readable>,
  classify: (line: string) => LineMeaning,
): WatchedProcess {
  let refreshes = 0;
  let failures = 0;
  let endpoint = "";
  let partial = "";
  let stderr = "";
  let exit: string | undefined;
  /** Re-checked after every refresh and at exit. */
  const waiters = new Set<() => void>();
  const exited = new Promise<void>((resolve) =>
    // "close" rather than "exit": by then stdout and stderr have been read to their end
    child.once("close", (code, signal) => {
      exit = signal ?? String(code);
      for (const check of [...waiters]) check();
      resolve();
    }),
  );
  child.stdout.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop()!;
    for (const line of lines) {
      const meaning = classify(line);
      if (meaning.endpoint && !endpoint) endpoint = meaning.endpoint;
      if (meaning.failed) failures++;
      if (meaning.refreshed) {
        refreshes++;
        for (const check of [...waiters]) check();
      }
    }
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));

  return {
    pid: child.pid!,
    refreshes: () => refreshes,
    failures: () => failures,
    endpoint: () => endpoint,
    exited: () => exit !== undefined,
    stderr: () => stderr,
    refreshCount(n, timeoutMs) {
      return new Promise<void>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        const check = () => {
          if (refreshes >= n) {
            done();
            resolve();
          } else if (exit !== undefined) {
            done();
            reject(new Error(`${name} exited (${exit}) after ${refreshes} refreshes:\n${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${name}: fewer than ${n} refreshes in ${timeoutMs / 1000} s:\n${stderr}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (exit === undefined) child.kill("SIGTERM");
      await exited;
    },
  };
}
