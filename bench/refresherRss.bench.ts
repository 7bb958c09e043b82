/**
 * Benchmark: memory and CPU of the real refresher process (`node dist/bin/iamra-vault.cjs refresher`) on the devstack
 * with short sessions, its credentials endpoint under load, next to an idle bare Node process started at the same time
 * with the same Node and NODE_OPTIONS. Samples VmRSS and VmHWM (peak) of both from /proc once a second.
 * Load: 4 keep-alive loops of GET against the endpoint, bounded by --seconds and a request count; refreshes are
 * counted from the refresher's log lines.
 * Run: npm run build && npx tsx bench/refresherRss.bench.ts [--seconds 120] [--session-seconds 2] [--node <path>]
 *      [--node-options "--max-semi-space-size=1"]
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, get } from "node:http";
import { startDevstack } from "../devstack/startDevstack.js";
import { podEnvironment } from "../devstack/podEnvironment.js";
import { CLI_PATH } from "../test/support/runCli.js";

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const seconds = Number(arg("seconds", "120"));
const sessionSeconds = Number(arg("session-seconds", "2"));
const node = arg("node", process.execPath);
const nodeOptions = arg("node-options", "--max-semi-space-size=1");

const work = await mkdtemp(join(tmpdir(), "iamra-bench-rss-"));
const stack = await startDevstack({
  portBase: 0, dir: join(work, "ds"), tps: 100_000, minSessionSeconds: sessionSeconds,
});
const tokenFile = join(work, "token");
const saToken = stack.tokenReview.mintToken({ namespace: "demo", serviceAccount: "app", ttlMs: 24 * 3_600_000 });
await writeFile(tokenFile, saToken);
const env: Record<string, string> = {
  PATH: process.env.PATH ?? "", HOME: work, NODE_OPTIONS: nodeOptions, ...podEnvironment(stack.info, tokenFile),
};
const out = join(work, "out");
await mkdir(out);
const refresher = spawn(node, [
  CLI_PATH, "refresher", "--output-dir", out, "--session-duration", String(sessionSeconds), "--endpoint-port", "0",
  "--ops-port", "0", "--ops-host", "127.0.0.1",
], { env, stdio: ["ignore", "pipe", "pipe"] });
const idle = spawn(node, ["-e", "setInterval(() => {}, 1 << 30)"], { env, stdio: "ignore" });
let refreshes = 0;
let endpoint = "";
let logText = "";
refresher.stdout.on("data", (c: Buffer) => {
  logText += c.toString();
  const lines = logText.split("\n");
  logText = lines.pop()!;
  for (const l of lines) {
    if (l.includes('"credentials refreshed"')) refreshes++;
    const m = /"url":"(http:\/\/127\.0\.0\.1:\d+[^"]*)"/.exec(l);
    if (!endpoint && m && l.includes("endpoint")) endpoint = m[1]!;
  }
});
let stderr = "";
refresher.stderr.on("data", (c: Buffer) => (stderr += c.toString()));

const status = (pid: number) => {
  const text = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(text)![1]) / 1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
};
const cpuMs = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
};

for (let i = 0; i < 100 && (!endpoint || refreshes === 0); i++) await new Promise((r) => setTimeout(r, 100));
if (!endpoint) throw new Error(`the refresher did not start:\n${stderr}`);
const token = await readFile(join(out, "endpoint-token"), "utf8");
const samples: Array<{ t: number; rss: number; idleRss: number }> = [];
const started = Date.now();
const timer = setInterval(() => {
  samples.push({ t: (Date.now() - started) / 1000, rss: status(refresher.pid!).rss, idleRss: status(idle.pid!).rss });
}, 1000);
const cpuStart = cpuMs(refresher.pid!);
const refreshesStart = refreshes;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
const load = { total: 0, non2xx: 0, errors: 0 };
const deadline = Date.now() + seconds * 1000;
const once = () => new Promise<void>((resolve) => {
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
await Promise.all([0, 1, 2, 3].map(async () => {
  while (Date.now() < deadline && load.total < 2_000_000) {
    load.total++;
    await once();
  }
}));
agent.destroy();
clearInterval(timer);
const cpuEnd = cpuMs(refresher.pid!);
const end = status(refresher.pid!);
const idleEnd = status(idle.pid!);
const refreshed = refreshes - refreshesStart;
const third = Math.max(1, Math.floor(samples.length / 3));
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
console.log(JSON.stringify({
  benchmark: "refresher process RSS and CPU under endpoint load (short sessions), next to an idle bare Node",
  node, nodeOptions, seconds, sessionSeconds,
  refreshes: refreshed, endpointRequests: load.total, endpointNon2xx: load.non2xx, endpointErrors: load.errors,
  refresherMb: { currentRss: r1(end.rss), peakRss: r1(end.hwm) },
  idleNodeMb: { currentRss: r1(idleEnd.rss), peakRss: r1(idleEnd.hwm) },
  ratios: { current: r2(end.rss / idleEnd.rss), peak: r2(end.hwm / idleEnd.hwm) },
  trendMb: {
    firstThirdAvgRss: r1(avg(samples.slice(0, third).map((s) => s.rss))),
    lastThirdAvgRss: r1(avg(samples.slice(-third).map((s) => s.rss))),
  },
  cpuMsTotal: r1(cpuEnd - cpuStart),
  note: "CPU covers refreshes and endpoint requests together: an upper bound for the CPU of refreshes alone",
}, null, 2));
refresher.kill("SIGTERM");
idle.kill("SIGTERM");
await stack.close();
