/**
 * Benchmark of the refresher on the devstack over loopback (the stand-ins run in this process), printing JSON:
 *  1. cycles: 1,000 refresh cycles back to back in a worker process (bench/support/refresherCycles.ts: the refresher as
 *     refresher/createRefresher.ts builds it, loop woken after each refresh instead of sleeping half a session) — RSS
 *     every 100 cycles and after GC,
 *     CPU ms per cycle — once reusing the certificate and once with a new certificate (key pair + CSR + Vault sign)
 *     each time;
 *  2. cli.shortSessions: the unmodified `iamra-vault refresher` with 2 s sessions for `--cli-seconds` (default 30 s):
 *     cycles seen, CPU ms per cycle (idle time included) and RSS from /proc/<pid>;
 *  3. endpoint: the unmodified CLI with default 1 h sessions, its credentials endpoint under wrk (max throughput, 10
 *     connections, µs latency) and autocannon at a fixed 1,000 req/s (1 and 10 connections, whole-ms latency), each
 *     `--load-seconds` (default 10 s).
 * Run: npm run build && npx tsx bench/refresher.bench.ts [--cycles 1000] [--cli-seconds 30] [--load-seconds 10]
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startDevstack } from "../devstack/startDevstack.js";
import { podEnvironment } from "../devstack/podEnvironment.js";
import { exitWithUsageIfAsked } from "./support/usage.js";
import { startCli, type RunningCli } from "../test/support/startCli.js";

exitWithUsageIfAsked(import.meta.url);

const arg = (name: string, dflt: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1] ?? 0) || dflt;
const cycles = arg("cycles", 1000);
const cliSeconds = arg("cli-seconds", 30);
const loadSeconds = arg("load-seconds", 10);
const run = promisify(execFile); // asynchronous: the stand-ins in this process must keep answering
const workerPath = fileURLToPath(new URL("../dist/bench/support/refresherCycles.js", import.meta.url)); // run from source with tsx
if (!existsSync(workerPath)) throw new Error(`${workerPath} is missing: run "npm run build" first`);

const work = await mkdtemp(join(tmpdir(), "iamra-bench-refresher-"));
const stack = await startDevstack({ portBase: 0, dir: work, tps: 1_000_000, minSessionSeconds: 2 });
const { info } = stack;
const who = {
  namespace: info.kubernetes.namespace,
  serviceAccount: info.kubernetes.serviceAccount,
  ttlMs: 24 * 3_600_000,
};
const tokenFile = join(work, "sa-token");
await writeFile(tokenFile, stack.tokenReview.mintToken(who));
const env = {
  ...podEnvironment(info, tokenFile),
};
const results: Record<string, unknown> = { node: process.version };

// 1. back-to-back cycles in a worker process
for (const [name, newCert] of [
  ["reuseCertificate", false],
  ["newCertificateEveryRefresh", true],
] as const) {
  const out = join(work, `cycles-${name}`);
  await mkdir(out);
  const flags = {
    outputDir: out,
    endpointPort: "0",
    opsPort: "0",
    opsHost: "127.0.0.1",
    newCertificateEveryRefresh: newCert,
  };
  const { stderr } = await run(process.execPath, ["--expose-gc", workerPath, JSON.stringify({ flags, env, cycles })], {
    env: { PATH: process.env.PATH ?? "" },
    maxBuffer: 1 << 26,
  });
  results[`cycles.${name}`] = JSON.parse(stderr.trim().split("\n").pop()!);
}

// 2 + 3. the unmodified CLI
const procStat = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(f[11]) + Number(f[12])) * (1000 / 100); // utime + stime, clock ticks (100 Hz) → ms
};
const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;
const spawned: RunningCli[] = [];
/** Spawns the unmodified CLI refresher with `args`; resolves with it, its endpoint URL and token. */
async function spawnRefresher(name: string, args: string[]) {
  const out = join(work, name);
  await mkdir(out);
  const cli = startCli(["refresher", "--endpoint-port", "0", "--ops-port", "0", "--ops-host", "127.0.0.1", ...args], {
    env: { ...env, IAMRA_OUTPUT_DIR: out },
  });
  spawned.push(cli);
  const started = await cli.waitFor((l) => l.msg === "refresher started", { timeoutMs: 15_000 });
  await cli.waitFor((l) => l.msg === "credentials refreshed", { timeoutMs: 15_000 });
  return {
    cli,
    url: started.credentialsEndpoint as string,
    token: await readFile(started.tokenFile as string, "utf8"),
  };
}

try {
  // 2. 2 s sessions: the CLI refreshes about once a second
  const short = await spawnRefresher("cli-short", ["--session-duration", "2", "--min-validity", "0s"]);
  const count = () => short.cli.lines.filter((l) => l.msg === "credentials refreshed").length;
  const [c0, cpu0] = [count(), procStat(short.cli.pid)];
  await new Promise((r) => setTimeout(r, cliSeconds * 1000));
  const [c1, cpu1] = [count(), procStat(short.cli.pid)];
  results["cli.shortSessions"] = {
    seconds: cliSeconds,
    cycles: c1 - c0,
    cpuMsPerCycleInclIdle: +((cpu1 - cpu0) / (c1 - c0)).toFixed(2),
    rssMb: +rssOf(short.cli.pid).toFixed(1),
    warningsOrErrors: short.cli.lines.filter((l) => l.level === "warn" || l.level === "error").length,
    exit: (await short.cli.stop()).code,
  };

  // 3. endpoint under load, default (1 h) sessions: what an app pod sees
  const { cli, url, token } = await spawnRefresher("cli-load", []);
  const check = await fetch(url, { headers: { authorization: token } });
  if (check.status !== 200) throw new Error(`endpoint answered ${check.status}`);
  const rssBefore = rssOf(cli.pid);
  if (existsSync("/usr/bin/wrk")) {
    const { stdout } = await run("wrk", [
      "-t2",
      "-c10",
      `-d${loadSeconds}s`,
      "--latency",
      "-H",
      `Authorization: ${token}`,
      url,
    ]);
    const pct = (p: string) => stdout.match(new RegExp(`^\\s+${p}%\\s+(\\S+)`, "m"))?.[1];
    results["endpoint.wrk.maxThroughput"] = {
      connections: 10,
      seconds: loadSeconds,
      p50: pct("50"),
      p90: pct("90"),
      p99: pct("99"),
      requestsPerSec: Number(stdout.match(/Requests\/sec:\s+(\S+)/)?.[1]),
      non2xx: Number(stdout.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0),
    };
  }
  if (existsSync("/usr/bin/hey")) {
    // hey (Go) paces 10 workers at 100 req/s each = 1,000 req/s, and reports latency with 0.1 ms resolution
    const { stdout } = await run(
      "hey",
      ["-z", `${loadSeconds}s`, "-c", "10", "-q", "100", "-H", `Authorization: ${token}`, url],
      { maxBuffer: 1 << 24 },
    );
    const pct = (p: number) => Number(stdout.match(new RegExp(`\\s${p}% in (\\S+) secs`))?.[1]) * 1000;
    results["endpoint.hey.fixed1000rps.c10"] = {
      connections: 10,
      seconds: loadSeconds,
      p50Ms: pct(50),
      p95Ms: pct(95),
      p99Ms: pct(99),
      requestsPerSec: Number(stdout.match(/Requests\/sec:\s+(\S+)/)?.[1]),
      status200: Number(stdout.match(/\[200\]\s+(\d+) responses/)?.[1] ?? 0),
    };
  }
  const autocannon = fileURLToPath(new URL("../node_modules/autocannon/autocannon.js", import.meta.url));
  for (const connections of [1, 10]) {
    const { stdout: acJson } = await run(
      process.execPath,
      [
        autocannon,
        "-j",
        "-c",
        String(connections),
        "-R",
        "1000",
        "-d",
        String(loadSeconds),
        "-H",
        `Authorization=${token}`,
        url,
      ],
      { maxBuffer: 1 << 24 },
    );
    const ac = JSON.parse(acJson) as {
      latency: Record<string, number>;
      requests: { average: number; total: number };
      non2xx: number;
      errors: number;
    };
    results[`endpoint.autocannon.fixed1000rps.c${connections}`] = {
      connections,
      seconds: loadSeconds,
      resolution: "whole ms (autocannon's histogram; 0 means < 1 ms)",
      p50Ms: ac.latency.p50,
      p90Ms: ac.latency.p90,
      p99Ms: ac.latency.p99,
      p999Ms: ac.latency.p99_9,
      maxMs: ac.latency.max,
      requestsPerSec: ac.requests.average,
      total: ac.requests.total,
      non2xx: ac.non2xx,
      errors: ac.errors,
    };
  }
  results["endpoint.rssMb"] = { before: +rssBefore.toFixed(1), afterLoad: +rssOf(cli.pid).toFixed(1) };
  results["endpoint.exit"] = (await cli.stop()).code;
} finally {
  for (const c of spawned) c.kill();
  await Promise.all(spawned.map((c) => c.exited));
  await stack.close();
}
process.stdout.write(JSON.stringify(results, null, 2) + "\n");
