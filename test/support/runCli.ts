import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Absolute path of the built CLI: the bundle that the package and the image ship (npm test builds it first). */
export const CLI_PATH = fileURLToPath(new URL("../../dist/bin/iamra-vault.cjs", import.meta.url));

/** Absolute path of the devstack's own entry point (a development tool, not part of the product CLI). */
export const DEVSTACK_CLI_PATH = fileURLToPath(new URL("../../dist/devstack/main.js", import.meta.url));

/** What a finished CLI run left behind. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** How to spawn the CLI: which Node and bundle, where, as whom, with what environment. */
export interface CliSpawnOptions {
  env?: Record<string, string>;
  /** Variables under `env` (default: this process's PATH and HOME); `{}` gives exactly `env`. */
  baseEnv?: Record<string, string>;
  cwd?: string;
  uid?: number;
  gid?: number;
  /** The bundle to run (default: dist/bin/iamra-vault.cjs). */
  cli?: string;
  /** The Node binary (default: the one running the tests). */
  node?: string;
}

/**
 * The environment of a spawned CLI: `baseEnv` (default PATH and HOME of this process) plus `env`. When this process
 * has CLI_NODE_OPTIONS (e.g. the refresher container's "--max-semi-space-size=1 --jitless"), the CLI gets it as
 * NODE_OPTIONS unless `env` sets NODE_OPTIONS itself.
 */
export function cliEnvironment(opts: CliSpawnOptions): Record<string, string> {
  const base = opts.baseEnv ?? { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" };
  const nodeOptions = process.env.CLI_NODE_OPTIONS;
  return { ...base, ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}), ...opts.env };
}

/** Runs the built CLI with `args` and a clean environment plus `env`; fails if dist/ was not built. */
export function runCli(args: string[], opts: CliSpawnOptions & { timeoutMs?: number } = {}): Promise<CliRun> {
  const cli = opts.cli ?? CLI_PATH;
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run "npm run build" first`);
  return new Promise((resolve, reject) => {
    const child = spawn(opts.node ?? process.execPath, [cli, ...args], {
      env: cliEnvironment(opts),
      cwd: opts.cwd,
      uid: opts.uid,
      gid: opts.gid,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 30_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Parses JSON log lines (pino) out of a stream's text, ignoring other lines. */
export function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
