/**
 * Bench worker (run from dist/ by bench/refresher.bench.ts, in its own process so its RSS is the refresher's alone):
 * the refresher's components wired as refresher/runRefresher.ts wires them — Vault identity source, refreshCycle with file
 * writes, credential store, metrics, runRefreshLoop, endpoint + ops server — but the loop is woken after every refresh
 * instead of sleeping until half the session, so `cycles` refreshes run back to back. Prints one JSON line of results.
 * argv[2]: JSON { flags, env, cycles }, flags keyed by setting key (as resolveSettings takes them).
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createLogger } from "../../lib/log.js";
import { resolveSettings } from "../../lib/config/resolveSettings.js";
import { systemClock } from "../../lib/time/clock.js";
import { pipelineFromSettings } from "../../lib/pipeline/pipelineFromSettings.js";
import { createCredentialStore } from "../../lib/deliver/credentialStore.js";
import { createMetrics } from "../../lib/deliver/metrics.js";
import { writeCredentialOutputs } from "../../lib/deliver/writeCredentialOutputs.js";
import { createVaultIdentitySource } from "../../lib/identity/vaultIdentitySource.js";
import { refreshCycle } from "../../lib/refresh/refreshCycle.js";
import { runRefreshLoop } from "../../lib/refresh/runRefreshLoop.js";
import { refresherCommand } from "../../refresher/refresherCommand.js";
import type { RefresherValues } from "../../refresher/runRefresher.js";
import { startDelivery } from "../../refresher/startDelivery.js";

const { flags, env, cycles } = JSON.parse(process.argv[2]!) as { flags: Record<string, string | boolean>; env: Record<string, string>; cycles: number };
const v = resolveSettings(refresherCommand.settings, { flags, env }) as unknown as RefresherValues;
const clock = systemClock;
const log = createLogger({ level: "info" }); // stdout is discarded by the parent, but the logging cost is counted
const io = { readFile: (p: string) => readFile(p, "utf8"), readDir: (p: string) => readdir(p) };
const metrics = createMetrics();
const store = createCredentialStore({ clock, minValidityMs: v.minValidityMs, log });
const built = await pipelineFromSettings(v, io, { clock, log });
const identity = createVaultIdentitySource({
  vault: built.vault, auth: built.vaultAuth, certificate: built.certificate,
  clock, log, metrics, newCertificateEveryTime: v.newCertificateEveryRefresh,
});
const outputs = { dir: v.outputDir, profile: v.profile, mode: v.fileMode, credentials: true, config: false, processJson: false, region: built.stsRegion };
const stop = new AbortController();
const loop = runRefreshLoop({
  refresh: () =>
    refreshCycle({
      identity, session: built.session,
      store, clock, log, metrics, signal: stop.signal,
      writeOutputs: async (creds, id) => void (await writeCredentialOutputs(creds, outputs, id, clock.now())),
    }),
  store, clock, log, signal: stop.signal, minValidityMs: v.minValidityMs,
});
const delivery = await startDelivery(v, { store, metrics, log, clock, signal: stop.signal, loop, identity, roleArn: built.session.request.roleArn, tokenFile: join(v.outputDir, "endpoint-token") });

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
    if ((done - WARMUP) % 100 === 0 && done >= WARMUP) samples.push({ cycle: done - WARMUP, rssMb: +rssMb().toFixed(1) });
    if (done >= cycles + WARMUP) return resolve();
    setImmediate(() => loop.wake()); // after the in-flight refresh (and its file write) completes, refresh again at once
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
  vaultSigns: (await metrics.registry.getSingleMetricAsString("iamra_upstream_duration_seconds")).match(/_count\{upstream="vault",operation="pki-sign"\} (\d+)/)?.[1] ?? "0",
};
stop.abort();
await loop.done;
await delivery.close();
await identity.close();
process.stderr.write(JSON.stringify(result) + "\n");
