/**
 * Benchmark: `iamra-vault init` on the devstack over loopback, from process start to credentials file written (the
 * process exits right after writing), p50/p95 over N runs, the CPU time of init and of the stand-ins per run, and max
 * RSS (/usr/bin/time). init runs at its default log level (info: its JSON lines go to a pipe this script reads) with
 * NODE_EXTRA_CA_CERTS and AWS_CA_BUNDLE removed from its environment, as in a pod.
 * The stand-ins (Vault, TokenReview, Roles Anywhere, STS) run in a Node process of their own (Node 20, the one running
 * this script), so that their work does not share this script's event loop; `--in-process` runs them in this process.
 * Run: npm run build && npx tsx bench/init.bench.ts [--runs 30] [--node <path>]
 *      [--node-options "--max-semi-space-size=1"] [--in-process]
 * (defaults: the Node running the bench, no NODE_OPTIONS; the image sets --max-semi-space-size=1 and runs Node 24)
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startDevstack } from "../devstack/startDevstack.js";
import { podEnvironment } from "../devstack/podEnvironment.js";
import { CLI_PATH } from "../test/support/runCli.js";
import { exitWithUsageIfAsked } from "./support/usage.js";
import { startDevstackProcess, type DevstackProcess } from "./support/startDevstackProcess.js";

exitWithUsageIfAsked(import.meta.url);

const run = promisify(execFile); // asynchronous: stand-ins in this process (--in-process) must keep answering
const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const runs = Number(arg("runs", "30")) || 30;
const node = arg("node", process.execPath);
const nodeOptions = arg("node-options", "");
const inProcess = process.argv.includes("--in-process");
const work = await mkdtemp(join(tmpdir(), "iamra-bench-init-"));

/** The devstack in this process, with the same surface as the child-process one. */
async function devstackHere(): Promise<DevstackProcess> {
  const stack = await startDevstack({ portBase: 0, dir: work, tps: 100_000 });
  const tokenFile = join(work, "token");
  await writeFile(
    tokenFile,
    stack.tokenReview.mintToken({ namespace: "demo", serviceAccount: "app", ttlMs: 24 * 3_600_000 }),
  );
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return Promise.resolve((user + system) / 1000);
  };
  return { info: stack.info, tokenFile, pid: process.pid, cpuMs, close: () => stack.close() };
}

/** CPU time (user + system) of this process's waited-for children so far, ms (Linux: /proc/self/stat). */
function childrenCpuMs(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100; // cutime, cstime in clock ticks (USER_HZ 100)
}

const stack = inProcess ? await devstackHere() : await startDevstackProcess(work);
const env: Record<string, string> = {
  PATH: process.env.PATH ?? "",
  ...podEnvironment(stack.info, stack.tokenFile),
  ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
};

const times: number[] = [];
let standInCpu = 0;
let initCpu = 0;
for (let i = 0; i < runs + 3; i++) {
  const out = join(work, `out-${i}`);
  await mkdir(out);
  const measured = i >= 3; // 3 warm-up runs
  const cpu0 = measured ? await stack.cpuMs() : 0;
  const children0 = childrenCpuMs();
  const t = process.hrtime.bigint();
  await run(node, [CLI_PATH, "init", "--output-dir", out], { env });
  if (!measured) continue;
  times.push(Number(process.hrtime.bigint() - t) / 1e6);
  initCpu += childrenCpuMs() - children0;
  standInCpu += (await stack.cpuMs()) - cpu0;
}
times.sort((a, b) => a - b);
const pct = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!;
const rss: number[] = [];
if (existsSync("/usr/bin/time")) {
  for (let i = 0; i < 5; i++) {
    const out = join(work, `rss-${i}`);
    await mkdir(out);
    const r = await run("/usr/bin/time", ["-f", "%M", node, CLI_PATH, "init", "--output-dir", out], { env });
    rss.push(Number(r.stderr.trim().split("\n").pop()));
  }
}
const round = (x: number) => Math.round(x * 10) / 10;
console.log(
  JSON.stringify(
    {
      benchmark: "init (process start to credentials file written, devstack on loopback)",
      standIns: inProcess ? "in the benchmark's process" : "in a process of their own",
      node: (await run(node, ["--version"])).stdout.trim(),
      nodeOptions,
      runs,
      p50Ms: pct(50),
      p95Ms: pct(95),
      minMs: times[0],
      maxMs: times[times.length - 1],
      initCpuMsPerRun: round(initCpu / runs),
      standInCpuMsPerRun: round(standInCpu / runs),
      maxRssMb: rss.length ? Math.max(...rss) / 1024 : null,
    },
    null,
    2,
  ),
);
await stack.close();
