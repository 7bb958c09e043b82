/**
 * Benchmark: memory and CPU of the real refresher process (`node dist/bin/iamra-vault.cjs refresher`) on the devstack
 * with short sessions (certificate reuse, the default), next to an idle bare Node process and the Node floor, all
 * started at the same time with the same Node, NODE_OPTIONS and command-line V8 flags. The floor
 * (bench/floor/refresherFloor.cjs) is the least a Node program must do for the refresher's job: one certificate from
 * Vault kept for the run, CreateSession at half the session, the credentials file through a temp file and a rename,
 * and the container endpoint; it shows how far the refresher is from what Node itself needs. Prints one JSON object.
 * 1. Quiet phase: CPU per refresh, utime + stime from /proc/<pid>/stat over --quiet-refreshes refreshes with no
 *    endpoint traffic, divided by their number (the floor's over the same time, divided by its own refreshes).
 * 2. Load phase: 4 keep-alive loops of GET against each credentials endpoint (the refresher's and the floor's) until
 *    the refresher made --refreshes refreshes (or, without --refreshes, for --seconds), never longer than
 *    --max-seconds. VmRSS and VmHWM (peak) of the processes are sampled from /proc once a second; the trend is the
 *    least-squares slope of RSS over the second half of the samples, MiB per 10 minutes. Refreshes are counted from
 *    the refresher's log lines and the floor's stdout lines.
 * Run: npm run build && npx tsx bench/refresherRss.bench.ts [--refreshes 1000] [--seconds 120] [--max-seconds 3600]
 *      [--session-seconds 2] [--quiet-refreshes 30] [--node <path>] [--node-options "--max-semi-space-size=1"]
 *      [--node-args "--lite-mode"] (V8 flags that NODE_OPTIONS refuses, given to both processes on the command line)
 *      [--env MALLOC_ARENA_MAX=2] (repeatable; given to both processes) [--breakdown] (smaps and V8 heap figures)
 *      [--work-dir /dev/shm] (where the devstack's files and the output directory go; the default is the system's
 *      temporary folder, often a disk, while the example manifests put the output directory on a memory-backed
 *      emptyDir: a tmpfs such as /dev/shm measures that) [--no-floor] (the refresher and the idle Node alone)
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startDevstack } from "../devstack/startDevstack.js";
import { podEnvironment } from "../devstack/podEnvironment.js";
import { CLI_PATH } from "../test/support/runCli.js";
import { cpuMs, memoryMb, slopePerTenMinutes } from "./support/procStats.js";
import { memoryBreakdown } from "./support/memoryBreakdown.js";
import { watchRefreshes, type WatchedProcess } from "./support/watchRefreshes.js";
import { exitWithUsageIfAsked } from "./support/usage.js";
import { loadEndpoint } from "./support/endpointLoad.js";

exitWithUsageIfAsked(import.meta.url);

const HEAP_STATS_PRELOAD = fileURLToPath(new URL("./support/heapStatsOnSignal.mjs", import.meta.url));
const REFRESHER_FLOOR = fileURLToPath(new URL("./floor/refresherFloor.cjs", import.meta.url));

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
/** --env K=V (repeatable): environment variables given to every measured process. */
const extraEnv = Object.fromEntries(
  process.argv.flatMap((a, i) => (a === "--env" ? [process.argv[i + 1]!.split(/=(.*)/s).slice(0, 2)] : [])),
) as Record<string, string>;
/** --breakdown: also print where the processes' RSS lives (smaps) and the refresher's V8 heap statistics. */
const breakdown = process.argv.includes("--breakdown");
/** --no-floor: run the refresher and the idle Node alone. */
const withFloor = !process.argv.includes("--no-floor");

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
const floorOut = join(work, "floor-out");
await mkdir(out);
await mkdir(floorOut);
const refresher = watchRefreshes(
  "the refresher",
  spawn(
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
  ),
  (line) => ({
    refreshed: line.includes('"credentials refreshed"'),
    failed: line.includes('"refresh failed'),
    endpoint: line.includes("endpoint") ? /"url":"(http:\/\/127\.0\.0\.1:\d+[^"]*)"/.exec(line)?.[1] : undefined,
  }),
);
const idle = spawn(node, [...nodeArgs, "-e", "setInterval(() => {}, 1 << 30)"], { env, stdio: "ignore" });
const floor = withFloor
  ? watchRefreshes(
      "the refresher floor",
      spawn(
        node,
        [...nodeArgs, REFRESHER_FLOOR, "--output-dir", floorOut, "--session-duration", String(sessionSeconds)],
        { env, stdio: ["ignore", "pipe", "pipe"] },
      ),
      (line) => {
        const event = JSON.parse(line) as { refreshed?: number; endpoint?: string };
        return { refreshed: event.refreshed !== undefined, endpoint: event.endpoint };
      },
    )
  : undefined;
const measured = [refresher, ...(floor ? [floor] : [])];
const maxMs = maxSeconds * 1000;

for (const p of measured) {
  await p.refreshCount(1, maxMs);
  if (!p.endpoint()) throw new Error(`no endpoint URL came before the first refresh:\n${p.stderr()}`);
}
const token = await readFile(join(out, "endpoint-token"), "utf8");
const floorToken = floor ? await readFile(join(floorOut, "endpoint-token"), "utf8") : "";

// 1. quiet phase: CPU per refresh without endpoint traffic, counted from one refresh to the quietRefreshes-th after it
await refresher.refreshCount(refresher.refreshes() + 1, maxMs);
const quietStart = measured.map((p) => ({ refreshes: p.refreshes(), cpu: cpuMs(p.pid) }));
const quietT0 = Date.now();
await refresher.refreshCount(refresher.refreshes() + quietRefreshes, maxMs);
const quiet = measured.map((p, i) => ({
  cpuMs: cpuMs(p.pid) - quietStart[i]!.cpu,
  refreshes: p.refreshes() - quietStart[i]!.refreshes,
}));
const quietSeconds = (Date.now() - quietT0) / 1000;

// 2. load phase
const samples: Array<{ t: number; rss: number; idleRss: number; floorRss: number }> = [];
const started = Date.now();
const loadStart = measured.map((p) => ({ refreshes: p.refreshes(), cpu: cpuMs(p.pid) }));
const timer = setInterval(() => {
  const t = (Date.now() - started) / 1000;
  const floorRss = floor ? memoryMb(floor.pid).rss : 0;
  samples.push({ t, rss: memoryMb(refresher.pid).rss, idleRss: memoryMb(idle.pid!).rss, floorRss });
  if (samples.length % 60 === 0) {
    const last = samples[samples.length - 1]!;
    const done = refresher.refreshes() - loadStart[0]!.refreshes;
    console.error(`${Math.round(t)} s: ${done} refreshes, RSS ${last.rss.toFixed(1)} MiB`);
  }
}, 1000);
const hardDeadline = started + maxMs;
const deadline = targetRefreshes > 0 ? hardDeadline : Math.min(hardDeadline, started + seconds * 1000);
const running = () =>
  Date.now() < deadline && (targetRefreshes === 0 || refresher.refreshes() - loadStart[0]!.refreshes < targetRefreshes);
const [load, floorLoad] = await Promise.all([
  loadEndpoint(refresher.endpoint(), token, 4, running),
  ...(floor ? [loadEndpoint(floor.endpoint(), floorToken, 4, running)] : []),
]);
clearInterval(timer);
for (const p of measured) if (p.exited()) throw new Error(`a measured process ended during the load:\n${p.stderr()}`);
const loadCpuMs = measured.map((p, i) => cpuMs(p.pid) - loadStart[i]!.cpu);
const loadRefreshes = measured.map((p, i) => p.refreshes() - loadStart[i]!.refreshes);
const end = memoryMb(refresher.pid);
const idleEnd = memoryMb(idle.pid!);
const floorEnd = floor ? memoryMb(floor.pid) : undefined;
const secondHalf = samples.slice(Math.floor(samples.length / 2));
const breakdowns = breakdown ? await readBreakdowns() : undefined;
const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const trendOf = (key: "rss" | "idleRss" | "floorRss") =>
  r2(slopePerTenMinutes(secondHalf.map((x) => ({ t: x.t, value: x[key] }))));
const mbOf = (m: { rss: number; hwm: number }) => ({ currentRss: r1(m.rss), peakRss: r1(m.hwm) });
const ratiosOf = (a: { rss: number; hwm: number }, b: { rss: number; hwm: number }) => ({
  current: r2(a.rss / b.rss),
  peak: r2(a.hwm / b.hwm),
});
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
        withoutLoad: r2(quiet[0]!.cpuMs / quiet[0]!.refreshes),
        refreshes: quiet[0]!.refreshes,
        seconds: r1(quietSeconds),
        cpuMs: quiet[0]!.cpuMs,
      },
      load: {
        seconds: r1((Date.now() - started) / 1000),
        refreshes: loadRefreshes[0],
        refreshFailures: refresher.failures(),
        endpointRequests: load!.total,
        endpointNon2xx: load!.non2xx,
        endpointErrors: load!.errors,
        cpuMs: loadCpuMs[0],
        note: "the load phase's CPU is the endpoint's and the refreshes' together",
      },
      refresherMb: mbOf(end),
      idleNodeMb: mbOf(idleEnd),
      ...(floor && floorEnd && floorLoad
        ? {
            floor: {
              program: "bench/floor/refresherFloor.cjs",
              mb: mbOf(floorEnd),
              cpuPerRefreshWithoutLoadMs: r2(quiet[1]!.cpuMs / quiet[1]!.refreshes),
              quietRefreshes: quiet[1]!.refreshes,
              load: {
                refreshes: loadRefreshes[1],
                endpointRequests: floorLoad.total,
                endpointNon2xx: floorLoad.non2xx,
                endpointErrors: floorLoad.errors,
                cpuMs: loadCpuMs[1],
              },
            },
          }
        : {}),
      ratios: {
        ...ratiosOf(end, idleEnd),
        ...(floorEnd
          ? { "floor / idle": ratiosOf(floorEnd, idleEnd), "refresher / floor": ratiosOf(end, floorEnd) }
          : {}),
      },
      trend: {
        secondHalfAvgRssMb: r1(avg(secondHalf.map((x) => x.rss))),
        refresherMbPer10Min: trendOf("rss"),
        idleNodeMbPer10Min: trendOf("idleRss"),
        ...(floor ? { floorMbPer10Min: trendOf("floorRss") } : {}),
        over: "the second half of the load phase's once-a-second samples",
      },
      ...(Object.keys(extraEnv).length > 0 ? { env: extraEnv } : {}),
      ...(breakdowns ? { breakdown: breakdowns } : {}),
    },
    null,
    2,
  ),
);
idle.kill("SIGTERM");
await Promise.all(measured.map((p: WatchedProcess) => p.stop()));
await stack.close();
await rm(work, { recursive: true, force: true });

/** The smaps breakdown of the processes and the refresher's heap statistics (asked for with SIGUSR2). */
async function readBreakdowns() {
  process.kill(refresher.pid, "SIGUSR2");
  let heap: unknown;
  for (let i = 0; i < 100 && heap === undefined; i++) {
    heap = await readFile(heapStatsFile, "utf8").then(JSON.parse, () => undefined);
    if (heap === undefined) await new Promise((r) => setTimeout(r, 50));
  }
  return {
    refresher: memoryBreakdown(refresher.pid),
    idleNode: memoryBreakdown(idle.pid!),
    ...(floor ? { floor: memoryBreakdown(floor.pid) } : {}),
    refresherHeap: heap,
  };
}

async function nodeVersion(): Promise<string> {
  const child = spawn(node, ["--version"], { stdio: ["ignore", "pipe", "ignore"] });
  let text = "";
  child.stdout.on("data", (c: Buffer) => (text += c.toString()));
  await new Promise((resolve) => child.once("close", resolve));
  return text.trim();
}
