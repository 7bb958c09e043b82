/**
 * Bench worker (run from dist/ by bench/refresher.bench.ts, in its own process so its RSS is the refresher's alone):
 * the refresher as its composition root (refresher/createRefresher.ts) builds it for the command — Vault identity
 * source, refresh cycle with file writes, credential store, metrics, refresh loop, endpoint + ops server — but the loop
 * is woken after every refresh instead of sleeping until half the session, so `cycles` refreshes run back to back.
 * Prints one JSON line of results. argv[2]: JSON { flags, env, cycles }, flags keyed by setting key (as resolveSettings
 * takes them).
 */
import { createLogger } from "../../lib/log.js";
import { resolveSettings } from "../../lib/config/resolveSettings.js";
import { proxyEnvironmentFrom } from "../../lib/net/proxyEnvironment.js";
import { systemClock } from "../../lib/time/clock.js";
import { refresherCommand } from "../../refresher/refresherCommand.js";
import { createRefresher, type RefresherValues } from "../../refresher/createRefresher.js";

type WorkerInput = { flags: Record<string, string | boolean>; env: Record<string, string>; cycles: number };
const { flags, env, cycles } = JSON.parse(process.argv[2]!) as WorkerInput;
const resolved = resolveSettings(refresherCommand.settings, { flags, env });
const v: RefresherValues = { ...resolved, proxies: proxyEnvironmentFrom(env) };
const log = createLogger({ level: "info" }); // stdout is discarded by the parent, but the logging cost is counted
const stop = new AbortController();
const {
  store,
  metrics,
  loop,
  finished: stopped,
} = await createRefresher(v, {
  env,
  clock: systemClock,
  log,
  signal: stop.signal,
});

const rssMb = () => process.memoryUsage().rss / 2 ** 20;
const samples: Array<{ cycle: number; rssMb: number }> = [];
let done = 0;
let cpu0 = process.cpuUsage();
let t0 = process.hrtime.bigint();
const WARMUP = 20;
const finished = new Promise<void>((resolve) => {
  store.onChange(() => {
    done++;
    if (done === WARMUP) {
      cpu0 = process.cpuUsage();
      t0 = process.hrtime.bigint();
    }
    if ((done - WARMUP) % 100 === 0 && done >= WARMUP)
      samples.push({ cycle: done - WARMUP, rssMb: +rssMb().toFixed(1) });
    if (done >= cycles + WARMUP) return resolve();
    // after the in-flight refresh (and its file write) completes, refresh again at once
    setImmediate(() => loop.wake());
  });
});
loop.wake();
await finished;
const cpu = process.cpuUsage(cpu0);
const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
(globalThis as { gc?: () => void }).gc?.();
const result = {
  cycles,
  cpuMsPerCycle: +((cpu.user + cpu.system) / 1000 / cycles).toFixed(3),
  wallMsPerCycle: +(wallMs / cycles).toFixed(3),
  rssMbEvery100: samples,
  rssMbAfterGc: +rssMb().toFixed(1),
  heapUsedMbAfterGc: +(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1),
  vaultSigns:
    (await metrics.registry.getSingleMetricAsString("iamra_upstream_duration_seconds")).match(
      /_count\{upstream="vault",operation="pki-sign"\} (\d+)/,
    )?.[1] ?? "0",
};
stop.abort();
await stopped;
process.stderr.write(JSON.stringify(result) + "\n");
