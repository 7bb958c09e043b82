/**
 * Benchmark: memory and CPU of the real refresher process (`node dist/bin/iamra-vault.cjs refresher`) on the devstack
 * with short sessions (certificate reuse, the default), next to an idle bare Node process started at the same time
 * with the same Node and NODE_OPTIONS. Prints one JSON object.
 * 1. Quiet phase: CPU per refresh, utime + stime from /proc/<pid>/stat over --quiet-refreshes refreshes with no
 *    endpoint traffic, divided by their number.
 * 2. Load phase: 4 keep-alive loops of GET against the credentials endpoint until --refreshes refreshes happened (or,
 *    without --refreshes, for --seconds), never longer than --max-seconds. VmRSS and VmHWM (peak) of both processes
 *    are sampled from /proc once a second; the trend is the least-squares slope of RSS over the second half of the
 *    samples, MiB per 10 minutes. Refreshes are counted from the refresher's log lines.
 * Run: npm run build && npx tsx bench/refresherRss.bench.ts [--refreshes 1000] [--seconds 120] [--max-seconds 3600]
 *      [--session-seconds 2] [--quiet-refreshes 30] [--node <path>] [--node-options "--max-semi-space-size=1"]
 *      [--node-args "--lite-mode"] (V8 flags that NODE_OPTIONS refuses, given to both processes on the command line)
 *      [--env MALLOC_ARENA_MAX=2] (repeatable; given to both processes) [--breakdown] (smaps and V8 heap figures)
 *      [--work-dir /dev/shm] (where the devstack's files and the output directory go; the default is the system's
 *      temporary folder, often a disk, while the example manifests put the output directory on a memory-backed
 *      emptyDir: a tmpfs such as /dev/shm measures that)
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Agent, get } from "node:http";
import { startDevstack } from "../devstack/startDevstack.js";
import { podEnvironment } from "../devstack/podEnvironment.js";
import { CLI_PATH } from "../test/support/runCli.js";
import { cpuMs, memoryMb, slopePerTenMinutes } from "./support/procStats.js";
import { memoryBreakdown } from "./support/memoryBreakdown.js";

const HEAP_STATS_PRELOAD = fileURLToPath(new URL("./support/heapStatsOnSignal.mjs", import.meta.url));

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const targetRefreshes = Number(arg("refreshes", "0"));
const seconds = Number(arg("seconds", "120"));
const maxSeconds = Number(arg("max-seconds", "3600"));
const sessionSeconds = Number(arg("session-seconds", "2"));
const quietRefreshes = Number(arg("quiet-refreshes", "30"));
const node = arg("node", process.execPath);
const nodeOptions = arg("node-options", "--max-semi-space-size=1");
const nodeArgs = arg("node-args", "").split(" ").filter(Boolean);
/** --env K=V (repeatable): environment variables given to both the refresher and the idle Node. */
const extraEnv = Object.fromEntries(
  process.argv.flatMap((a, i) => (a === "--env" ? [process.argv[i + 1]!.split(/=(.*)/s).slice(0, 2)] : [])),
) as Record<string, string>;
/** --breakdown: also print where both processes' RSS lives (smaps) and the refresher's V8 heap statistics. */
const breakdown = process.argv.includes("--breakdown");

const work = await mkdtemp(join(arg("work-dir", tmpdir()), "iamra-bench-rss-"));
const stack = await startDevstack({
  portBase: 0,
  dir: join(work, "ds"),
  tps: 100_000,
  minSessionSeconds: sessionSeconds,
});
const tokenFile = join(work, "token");
const saToken = stack.tokenReview.mintToken({ namespace: "demo", serviceAccount: "app", ttlMs: 24 * 3_600_000 });
await writeFile(tokenFile, saToken);
const env: Record<string, string> = {
  PATH: process.env.PATH ?? "",
  HOME: work,
  NODE_OPTIONS: nodeOptions,
  ...podEnvironment(stack.info, tokenFile),
  ...extraEnv,
};
const heapStatsFile = join(work, "heap-stats.json");
const out = join(work, "out");
await mkdir(out);
const refresher = spawn(
  node,
  [
    ...nodeArgs,
    ...(breakdown ? ["--import", HEAP_STATS_PRELOAD] : []),
    CLI_PATH,
    "refresher",
    "--output-dir",
    out,
    "--session-duration",
    String(sessionSeconds),
    "--endpoint-port",
    "0",
    "--ops-port",
    "0",
    "--ops-host",
    "127.0.0.1",
  ],
  {
    env: { ...env, ...(breakdown ? { BENCH_HEAP_STATS_FILE: heapStatsFile } : {}) },
    stdio: ["ignore", "pipe", "pipe"],
  },
);
const idle = spawn(node, [...nodeArgs, "-e", "setInterval(() => {}, 1 << 30)"], { env, stdio: "ignore" });
let refreshes = 0;
let failures = 0;
let endpoint = "";
let logText = "";
/** Called with the refresh count after every refresh. */
let onRefresh: (count: number) => void = () => undefined;
refresher.stdout.on("data", (c: Buffer) => {
  logText += c.toString();
  const lines = logText.split("\n");
  logText = lines.pop()!;
  for (const l of lines) {
    if (l.includes('"credentials refreshed"')) onRefresh(++refreshes);
    if (l.includes('"refresh failed')) failures++;
    const m = /"url":"(http:\/\/127\.0\.0\.1:\d+[^"]*)"/.exec(l);
    if (!endpoint && m && l.includes("endpoint")) endpoint = m[1]!;
  }
});
let stderr = "";
refresher.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
const exited = new Promise<void>((resolve) => refresher.once("exit", () => resolve()));
const refreshCount = (n: number) =>
  new Promise<void>((resolve, reject) => {
    if (refreshes >= n) return resolve();
    const timer = setTimeout(
      () => reject(new Error(`fewer than ${n} refreshes in time:\n${stderr}`)),
      maxSeconds * 1000,
    );
    onRefresh = (count) => {
      if (count < n) return;
      clearTimeout(timer);
      onRefresh = () => undefined;
      resolve();
    };
  });

await Promise.race([refreshCount(1), exited.then(() => Promise.reject(new Error(`refresher exited:\n${stderr}`)))]);
if (!endpoint) throw new Error(`the refresher did not log its endpoint:\n${stderr}`);
const token = await readFile(join(out, "endpoint-token"), "utf8");

// 1. quiet phase: CPU per refresh without endpoint traffic, counted from one refresh to the quietRefreshes-th after it
await refreshCount(refreshes + 1);
const quiet = { refreshes: refreshes, cpu: cpuMs(refresher.pid!), t: Date.now() };
await refreshCount(refreshes + quietRefreshes);
const quietCpuMs = cpuMs(refresher.pid!) - quiet.cpu;
const quietSeconds = (Date.now() - quiet.t) / 1000;
const quietCount = refreshes - quiet.refreshes;

// 2. load phase
const samples: Array<{ t: number; rss: number; idleRss: number }> = [];
const started = Date.now();
const loadRefreshesStart = refreshes;
const loadCpuStart = cpuMs(refresher.pid!);
const timer = setInterval(() => {
  const t = (Date.now() - started) / 1000;
  samples.push({ t, rss: memoryMb(refresher.pid!).rss, idleRss: memoryMb(idle.pid!).rss });
  if (samples.length % 60 === 0) {
    const last = samples[samples.length - 1]!;
    console.error(`${Math.round(t)} s: ${refreshes - loadRefreshesStart} refreshes, RSS ${last.rss.toFixed(1)} MiB`);
  }
}, 1000);
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
const load = { total: 0, non2xx: 0, errors: 0 };
const hardDeadline = started + maxSeconds * 1000;
const deadline = targetRefreshes > 0 ? hardDeadline : Math.min(hardDeadline, started + seconds * 1000);
const running = () =>
  Date.now() < deadline && (targetRefreshes === 0 || refreshes - loadRefreshesStart < targetRefreshes);
const once = () =>
  new Promise<void>((resolve) => {
    const req = get(endpoint, { agent, headers: { authorization: token } }, (res) => {
      if ((res.statusCode ?? 0) >= 300) load.non2xx++;
      res.resume();
      res.on("end", resolve);
    });
    req.on("error", () => {
      load.errors++;
      resolve();
    });
  });
await Promise.all(
  [0, 1, 2, 3].map(async () => {
    while (running()) {
      load.total++;
      await once();
    }
  }),
);
agent.destroy();
clearInterval(timer);
const loadCpuMs = cpuMs(refresher.pid!) - loadCpuStart;
const end = memoryMb(refresher.pid!);
const idleEnd = memoryMb(idle.pid!);
const loadRefreshes = refreshes - loadRefreshesStart;
const secondHalf = samples.slice(Math.floor(samples.length / 2));
const breakdowns = breakdown ? await readBreakdowns() : undefined;
const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
console.log(
  JSON.stringify(
    {
      benchmark: "refresher process RSS and CPU under endpoint load (short sessions), next to an idle bare Node",
      node,
      nodeVersion: await nodeVersion(),
      nodeOptions,
      nodeArgs,
      sessionSeconds,
      cpuPerRefreshMs: {
        withoutLoad: r2(quietCpuMs / quietCount),
        refreshes: quietCount,
        seconds: r1(quietSeconds),
        cpuMs: quietCpuMs,
      },
      load: {
        seconds: r1((Date.now() - started) / 1000),
        refreshes: loadRefreshes,
        refreshFailures: failures,
        endpointRequests: load.total,
        endpointNon2xx: load.non2xx,
        endpointErrors: load.errors,
        cpuMs: loadCpuMs,
        note: "the load phase's CPU is the endpoint's and the refreshes' together",
      },
      refresherMb: { currentRss: r1(end.rss), peakRss: r1(end.hwm) },
      idleNodeMb: { currentRss: r1(idleEnd.rss), peakRss: r1(idleEnd.hwm) },
      ratios: { current: r2(end.rss / idleEnd.rss), peak: r2(end.hwm / idleEnd.hwm) },
      trend: {
        secondHalfAvgRssMb: r1(avg(secondHalf.map((s) => s.rss))),
        refresherMbPer10Min: r2(slopePerTenMinutes(secondHalf.map((s) => ({ t: s.t, value: s.rss })))),
        idleNodeMbPer10Min: r2(slopePerTenMinutes(secondHalf.map((s) => ({ t: s.t, value: s.idleRss })))),
        over: "the second half of the load phase's once-a-second samples",
      },
      ...(Object.keys(extraEnv).length > 0 ? { env: extraEnv } : {}),
      ...(breakdowns ? { breakdown: breakdowns } : {}),
    },
    null,
    2,
  ),
);
refresher.kill("SIGTERM");
idle.kill("SIGTERM");
await exited;
await stack.close();
await rm(work, { recursive: true, force: true });

/** The smaps breakdown of both processes and the refresher's heap statistics (asked for with SIGUSR2). */
async function readBreakdowns() {
  refresher.kill("SIGUSR2");
  let heap: unknown;
  for (let i = 0; i < 100 && heap === undefined; i++) {
    heap = await readFile(heapStatsFile, "utf8").then(JSON.parse, () => undefined);
    if (heap === undefined) await new Promise((r) => setTimeout(r, 50));
  }
  return { refresher: memoryBreakdown(refresher.pid!), idleNode: memoryBreakdown(idle.pid!), refresherHeap: heap };
}

async function nodeVersion(): Promise<string> {
  const child = spawn(node, ["--version"], { stdio: ["ignore", "pipe", "ignore"] });
  let text = "";
  child.stdout.on("data", (c: Buffer) => (text += c.toString()));
  await new Promise((resolve) => child.once("close", resolve));
  return text.trim();
}
