/**
 * Benchmark: fleet start. N `iamra-vault init` processes are started at once against the devstack, whose Roles Anywhere
 * stand-in allows Q CreateSession calls per second (burst Q). Reports per scale model: time to ready per pod (spawn to
 * exit 0; p50, p95, max), failures by error code, CreateSession calls and 429s, and the pods' start-up (spawn to
 * "certificate issued", i.e. Node start, Vault login and PKI) separately. Goal: 0 failures and the last pod ready
 * within 1.2 × N/Q plus start-up, i.e. within 1.2 × N/Q of the last pod's start-up. Also reported: the window from the
 * first certificate issued to the last pod ready (close to N/Q when all pods start at once; longer when start-up is
 * spread).
 * Two cores limit how many Node processes start at once, so the default runs scale models with one N/Q: 20 at 2 TPS and
 * 40 at 4 TPS (a fleet of 100 at the AWS default of 10 TPS has the same N/Q).
 * Run: npm run bench:fleet [-- --models 20x2,40x4] [--timeout 400s]
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDevstack } from "../devstack/startDevstack.js";
import { podEnvironment } from "../devstack/podEnvironment.js";
import { parseDurationMs } from "../lib/config/parsers.js";
import { exitWithUsageIfAsked } from "./support/usage.js";
import { CLI_PATH } from "../test/support/runCli.js";

exitWithUsageIfAsked(import.meta.url);

interface PodResult {
  code: number | null;
  readyMs: number;
  /** Spawn to the pod's "certificate issued" log line (undefined when it never got that far). */
  startupMs?: number;
  errorCode?: string;
}

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};
const models = (arg("--models") ?? "20x2,40x4").split(",").map((m) => {
  const [n, q] = m.split("x").map(Number);
  if (!n || !q || n > 200 || q > 100) throw new Error(`bad scale model "${m}" (use NxQ, N <= 200, Q <= 100)`);
  return { pods: n, tps: q };
});
// every pod is killed after this long, so one run is bounded even when retries never end
const podTimeoutMs = parseDurationMs(arg("--timeout") ?? "400s");

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const seconds = (ms: number | undefined) => (ms === undefined ? null : Math.round(ms / 100) / 10);

function runPod(env: Record<string, string>, outputDir: string, spawnedAt: number): Promise<PodResult> {
  return new Promise((resolve, reject) => {
    const args = [CLI_PATH, "init", "--output-dir", outputDir];
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), podTimeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const readyMs = Date.now() - spawnedAt;
      const issued = out
        .split("\n")
        .filter((l) => l.includes('"certificate issued"'))
        .map((l) => Date.parse((JSON.parse(l) as { time: string }).time))[0];
      resolve({
        code,
        readyMs,
        startupMs: issued === undefined ? undefined : issued - spawnedAt,
        errorCode: /\[([A-Z_]+)\]/.exec(err)?.[1] ?? (code === 0 ? undefined : `exit ${code}`),
      });
    });
  });
}

async function runModel(pods: number, tps: number): Promise<Record<string, unknown>> {
  const work = await mkdtemp(join(tmpdir(), "iamra-bench-fleet-"));
  const stack = await startDevstack({ portBase: 0, dir: work, tps });
  try {
    const tokenFile = join(work, "token");
    const token = stack.tokenReview.mintToken({ namespace: "demo", serviceAccount: "app", ttlMs: 3_600_000 });
    await writeFile(tokenFile, token);
    const env = { PATH: process.env.PATH ?? "", ...podEnvironment(stack.info, tokenFile), IAMRA_LOG_LEVEL: "info" };
    const dirs = await Promise.all(
      Array.from({ length: pods }, async (_, i) => {
        const d = join(work, `pod-${i}`);
        await mkdir(d);
        return d;
      }),
    );
    const before = stack.rolesAnywhere.requests.length;
    const spawnedAt = Date.now();
    const results = await Promise.all(dirs.map((d) => runPod(env, d, spawnedAt)));
    const calls = stack.rolesAnywhere.requests.slice(before);
    const ok = results.filter((r) => r.code === 0);
    const ready = ok.map((r) => r.readyMs).sort((a, b) => a - b);
    const startups = results.flatMap((r) => (r.startupMs === undefined ? [] : [r.startupMs])).sort((a, b) => a - b);
    const failures: Record<string, number> = {};
    for (const r of results) if (r.code !== 0) failures[r.errorCode!] = (failures[r.errorCode!] ?? 0) + 1;
    const lastReadyMs = ready.at(-1);
    const measured = lastReadyMs !== undefined && startups.length > 0;
    const windowMs = measured ? lastReadyMs - startups[0]! : undefined;
    const afterStartupMs = measured ? lastReadyMs - startups.at(-1)! : undefined;
    const goalMs = (1.2 * pods * 1000) / tps;
    return {
      model: `${pods} pods at ${tps} TPS (N/Q = ${pods / tps} s)`,
      failures: results.length - ok.length,
      failuresByCode: failures,
      readyS: ready.length
        ? { p50: seconds(pct(ready, 50)), p95: seconds(pct(ready, 95)), max: seconds(lastReadyMs) }
        : null,
      startupS: startups.length ? { p50: seconds(pct(startups, 50)), max: seconds(startups.at(-1)) } : null,
      firstIssuedToLastReadyS: seconds(windowMs),
      lastStartupToLastReadyS: seconds(afterStartupMs),
      goalS: seconds(goalMs),
      goalMet: ok.length === pods && afterStartupMs !== undefined && afterStartupMs <= goalMs,
      createSessionCalls: calls.length,
      throttled429: calls.filter((c) => c.status === 429).length,
    };
  } finally {
    await stack.close();
    await rm(work, { recursive: true, force: true });
  }
}

const report = [];
for (const m of models) report.push(await runModel(m.pods, m.tps));
const benchmark = "fleet start: N init processes at once, Roles Anywhere quota Q TPS";
console.log(JSON.stringify({ benchmark, node: process.version, report }, null, 2));
