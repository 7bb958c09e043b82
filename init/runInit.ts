import { readdirSync, readFileSync } from "node:fs";
import type { CommandContext } from "../cli/commandSpec.js";
import type { InitValues } from "./initCommand.js";
import { pipelineFromSettings, type PipelineSettings } from "../lib/pipeline/pipelineFromSettings.js";
import { stsTargetFrom } from "../lib/pipeline/sessionFromSettings.js";
import { proxyEnvironmentFrom } from "../lib/net/proxyEnvironment.js";
import { obtainCredentials } from "../lib/pipeline/obtainCredentials.js";
import { createVaultOnceIdentitySource } from "../lib/identity/vaultOnceIdentitySource.js";
import { outputConfigFrom, writeCredentialOutputs, writesAnyFile } from "../lib/deliver/writeCredentialOutputs.js";
import { prepareOutputDir } from "../lib/deliver/prepareOutputDir.js";
import { getCallerIdentity } from "../lib/sts/getCallerIdentity.js";
import { systemClock } from "../lib/time/clock.js";
import { throwIfStopped } from "../lib/time/stopSignal.js";
import { OUTPUT_FILES } from "../lib/deliver/writeCredentialOutputs.js";
import { liveLockHolder } from "../lib/deliver/outputDirLock.js";
import { removeStaleTempFiles } from "../lib/deliver/removeStaleTempFiles.js";
import type { Logger } from "../lib/log.js";
import { EVENTS_TIMEOUT_MS, podEventsFromSettings } from "../lib/kubernetes/podEventsFromSettings.js";

/** init's values with the proxies read from its environment. */
type InitConfig = InitValues & Pick<PipelineSettings, "proxies">;

// init reads a few small files (token, CA bundles): synchronous reads, microseconds each, where fs/promises would
// load its module and take four trips through the thread pool per file
const readFile = async (path: string) => readFileSync(path, "utf8");
const readDir = async (path: string) => readdirSync(path);

/** Runs `iamra-vault init` with resolved settings (loaded lazily by the command spec). */
export async function runInit(values: InitValues, ctx: CommandContext): Promise<void> {
  const v: InitConfig = { ...values, proxies: proxyEnvironmentFrom(ctx.env) };
  const clock = systemClock;
  const events = await podEventsFromSettings(v, {
    command: "init",
    action: "ObtainCredentials",
    serviceHost: ctx.env.KUBERNETES_SERVICE_HOST,
    servicePort: ctx.env.KUBERNETES_SERVICE_PORT,
    readFile,
    clock,
    log: ctx.log,
  });
  try {
    await obtainAndWrite(v, ctx);
  } catch (err) {
    // a Warning Event on the pod says why it is stuck in Init; a stop is not a failure
    if (!ctx.signal.aborted) {
      events.failed(err);
      await events.flush(EVENTS_TIMEOUT_MS);
    }
    throw err;
  } finally {
    events.close();
  }
}

async function obtainAndWrite(v: InitConfig, ctx: CommandContext): Promise<void> {
  const clock = systemClock;
  const { session, vaultAuth, certificate, vault, stsRegion } = await pipelineFromSettings(
    v,
    { readFile, readDir, vaultTokenEnv: ctx.env.VAULT_TOKEN },
    { clock, log: ctx.log, signal: ctx.signal },
  );
  const identity = createVaultOnceIdentitySource({ vault, auth: vaultAuth, certificate, clock, log: ctx.log });
  try {
    const outputs = outputConfigFrom(v, stsRegion);
    if (writesAnyFile(outputs)) await prepareOutputDir(v.outputDir); // before any network call
    const started = clock.now();
    const result = await obtainCredentials(identity, session, {
      clock,
      log: ctx.log,
      signal: ctx.signal,
      userAgent: "iamra-vault init",
    });
    // verified before anything is written: credentials that STS refuses never replace the previous files
    if (v.verify) {
      throwIfStopped(ctx.signal, "verify");
      const target = { ...stsTargetFrom(v, stsRegion, session.transport.caPem), log: ctx.log };
      const who = await getCallerIdentity(result.credentials, target, ctx.signal);
      ctx.log.info({ arn: who.arn, account: who.account }, "credentials verified with sts");
    }
    throwIfStopped(ctx.signal, "write-output"); // a stop during the last call: nothing is written after it
    await removeOwnStaleTempFiles(v.outputDir, ctx.log);
    const written = await writeCredentialOutputs(result.credentials, outputs, result.identity, clock.now());
    const { expiration } = result.credentials;
    ctx.log.info({ files: written, expiration, ms: clock.now() - started }, "credentials written");
  } finally {
    await identity.close();
  }
}

/**
 * Removes temp files that a killed earlier write left in `dir`, unless a running refresher holds the directory (then
 * they may be its writes in flight, and it removes its own stale ones itself).
 */
async function removeOwnStaleTempFiles(dir: string, log: Logger): Promise<void> {
  const holder = await liveLockHolder(dir);
  if (holder) {
    log.warn({ dir, refresherPid: holder.pid }, "a refresher is running on the output directory; init writes anyway");
    return;
  }
  const r = await removeStaleTempFiles(dir, Object.values(OUTPUT_FILES));
  if (r.removed.length) log.info({ dir, removed: r.removed }, "removed stale temp files");
  if (r.failed.length) log.warn({ dir, failed: r.failed }, "cannot remove stale temp files");
}
