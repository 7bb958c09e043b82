import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { IamraError, isIamraError } from "../lib/errors.js";
import type { Clock } from "../lib/time/clock.js";
import { sessionFromSettings } from "../lib/pipeline/sessionFromSettings.js";
import type { SettingsIo } from "../lib/pipeline/pipelineFromSettings.js";
import type { SessionSettings } from "../lib/pipeline/sessionFromSettings.js";
import type { RefresherSettingsValues } from "./refresherCommand.js";
import type { SessionConfig } from "../lib/pipeline/obtainCredentials.js";
import { createCredentialStore } from "../lib/deliver/credentialStore.js";
import { createMetrics } from "../lib/deliver/metrics.js";
import {
  OUTPUT_FILES,
  outputConfigFrom,
  writeCredentialOutputs,
  writesAnyFile,
} from "../lib/deliver/writeCredentialOutputs.js";
import { acquireOutputDirLock } from "../lib/deliver/outputDirLock.js";
import { removeStaleTempFiles } from "../lib/deliver/removeStaleTempFiles.js";
import type { Metrics } from "../lib/deliver/metrics.js";
import type { CredentialStore } from "../lib/deliver/credentialStore.js";
import type { Logger } from "../lib/log.js";
import { createFileIdentitySource, type FileIdentitySource } from "../lib/identity/fileIdentitySource.js";
import type { IdentitySource } from "../lib/identity/identitySource.js";
import { refreshCycle } from "../lib/refresh/refreshCycle.js";
import { runRefreshLoop, type RefreshLoop } from "../lib/refresh/runRefreshLoop.js";
import { refreshCycleBudgetMs } from "../lib/refresh/refreshCycleBudget.js";
import { prepareOutputDir } from "../lib/deliver/prepareOutputDir.js";
import { startDelivery } from "./startDelivery.js";
import { adoptCredentials } from "./adoptCredentials.js";
import { podEventsFromSettings } from "../lib/kubernetes/podEventsFromSettings.js";
import type { X509Identity } from "../lib/identity/x509Identity.js";
import type { AwsCredentials } from "../lib/credentials/awsCredentials.js";

/** The refresher's resolved settings (its typed config), with the proxies read from its environment. */
export type RefresherValues = RefresherSettingsValues & Pick<SessionSettings, "proxies">;

/** What the refresher takes from its surroundings. */
export interface RefresherDeps {
  /** VAULT_TOKEN, IAMRA_PKCS8_PASSWORD and the Kubernetes service address, read by the command. */
  env: Record<string, string | undefined>;
  clock: Clock;
  log: Logger;
  /** Stops the refresher (SIGTERM/SIGINT in the command). */
  signal: AbortSignal;
}

/** A started refresher: its credential store, metrics and loop, and when it has stopped. */
export interface Refresher {
  store: CredentialStore;
  metrics: Metrics;
  loop: RefreshLoop;
  /** Settles once the refresher has stopped (after `signal`, or when delivery failed) and released what it held. */
  finished: Promise<void>;
}

/**
 * The refresher's composition root: builds the identity source (Vault or files), takes the output directory, adopts
 * what is there, starts the refresh loop and the delivery endpoints; once `deps.signal` aborts, lets an in-flight
 * refresh finish within the shutdown timeout and releases everything. Resolves once the refresher has started.
 */
export async function createRefresher(v: RefresherValues, deps: RefresherDeps): Promise<Refresher> {
  const { clock, log } = deps;
  const io = {
    readFile: (p: string) => readFile(p, "utf8"),
    readDir: (p: string) => readdir(p),
    vaultTokenEnv: deps.env.VAULT_TOKEN,
  };
  const metrics = createMetrics();
  const store = createCredentialStore({ clock, minValidityMs: v.minValidityMs, log });

  const { identity, files, pipeline } = await identityFromSettings(v, io, { ...deps, metrics });

  const outputs = outputConfigFrom(v, pipeline.stsRegion);
  // one refresher per output directory: taken before anything there is read or written, released at exit
  const tokenFile = v.endpointTokenFile ?? join(v.outputDir, OUTPUT_FILES.endpointToken);
  try {
    // before any network call: the files' directories exist (created when missing) and are writable
    if (writesAnyFile(outputs)) await prepareOutputDir(v.outputDir);
    if (v.credentialsEndpoint) {
      const setting = v.endpointTokenFile ? "the directory of --endpoint-token-file" : "--output-dir";
      await prepareOutputDir(dirname(tokenFile), setting);
    }
  } catch (err) {
    await identity.close();
    throw err;
  }
  const usesOutputDir =
    v.writeCredentials || v.writeConfig || v.writeProcessJson || (v.credentialsEndpoint && !v.endpointTokenFile);
  const lock = usesOutputDir ? await acquireOutputDirLock(v.outputDir) : undefined;
  if (lock?.tookOverFrom) log.info({ lockFile: lock.path, previous: lock.tookOverFrom }, "took over a stale lock");
  // temp files of ours left by a kill between write and rename; nothing writes here before this point
  const ownNames = Object.values(OUTPUT_FILES);
  if (lock) logCleanup(log, v.outputDir, await removeStaleTempFiles(v.outputDir, ownNames));
  const adopted = await adoptCredentials(v, { log, metrics, store });

  // stops the loop on SIGTERM/SIGINT, or when the endpoints cannot start
  const stop = new AbortController();
  // a SIGTERM that arrived while starting (lazy import, file reads) has already aborted deps.signal: no event follows
  if (deps.signal.aborted) stop.abort(deps.signal.reason);
  else deps.signal.addEventListener("abort", () => stop.abort(deps.signal.reason), { once: true });
  const setNames = ownNames.filter((n) => n !== OUTPUT_FILES.endpointToken);
  let lastWriteFailed = false;
  const writeOutputs = async (creds: AwsCredentials, id: X509Identity) => {
    if (lock && !(await lock.stillHeld())) {
      throw new IamraError({
        code: "OUTPUT_DIR_LOCKED",
        message: `the lock file ${lock.path} no longer names this refresher; not writing to ${v.outputDir}`,
        hint: "run one refresher per output directory",
        step: "write-output",
        details: { lockFile: lock.path },
      });
    }
    // a failed write removes its temp files, and those it could not remove (e.g. the directory had become read-only)
    // are removed before the next write; the endpoint token is written once at start, possibly during this write: only
    // the set's own temp files go
    if (lastWriteFailed) logCleanup(log, v.outputDir, await removeStaleTempFiles(v.outputDir, setNames));
    lastWriteFailed = true;
    // no directory fsync after every refresh: a power loss can undo some of the renames, so each file is complete
    // (fsynced before its rename) but the set may mix this refresh and the previous one; adoption at start takes the
    // files only when the credentials match the state file, else it obtains new ones
    const files = await writeCredentialOutputs(creds, outputs, id, clock.now(), { syncDirectory: false });
    lastWriteFailed = false;
    log.info({ accessKeyId: creds.accessKeyId, files }, "credential files written");
  };
  const events = await podEventsFromSettings(v, {
    command: "refresher",
    action: "RefreshCredentials",
    serviceHost: deps.env.KUBERNETES_SERVICE_HOST,
    servicePort: deps.env.KUBERNETES_SERVICE_PORT,
    readFile: io.readFile,
    clock,
    log,
  });
  const loop = runRefreshLoop({
    // Events are queued, never awaited: the Events API cannot slow down or fail a refresh
    refresh: () =>
      refreshCycle({
        identity,
        session: pipeline,
        store,
        clock,
        log,
        metrics,
        signal: stop.signal,
        writeOutputs: writesAnyFile(outputs) ? (creds, id) => writeOutputs(creds, id) : undefined,
      }).then(
        (creds) => {
          events.succeeded();
          return creds;
        },
        (err: unknown) => {
          if (!stop.signal.aborted) events.failed(err);
          throw err;
        },
      ),
    store,
    clock,
    log,
    signal: stop.signal,
    minValidityMs: v.minValidityMs,
    cycleBudgetMs: refreshCycleBudgetMs({
      vault:
        v.identitySource === "vault" ? { timeoutMs: v.vaultTimeoutMs, maxAttempts: v.vaultMaxAttempts } : undefined,
      timeoutMs: v.timeoutMs,
      maxAttempts: v.maxAttempts,
      assumeRole: pipeline.assumeRole !== undefined,
    }),
    tick: identity.maintain ? () => identity.maintain!() : undefined,
  });

  let delivery: Awaited<ReturnType<typeof startDelivery>>;
  try {
    delivery = await startDelivery(v, {
      store,
      metrics,
      log,
      clock,
      loop,
      roleArn: pipeline.assumeRole?.roleArn ?? pipeline.request.roleArn,
      tokenFile,
    });
  } catch (err) {
    stop.abort(err);
    await loop.done;
    await identity.close();
    await lock?.release();
    events.close();
    throw err;
  }
  // Vault Agent re-renders the files before the certificate expires: refresh at once with the new one
  const watcher = files?.watch(
    (changed) => {
      log.info({ changed }, "certificate files changed; refreshing");
      loop.wake();
    },
    {
      signal: stop.signal,
      onError: (err) => {
        const code = isIamraError(err) ? err.code : undefined;
        log.warn({ code }, "certificate files not usable yet; waiting for Vault Agent");
      },
    },
  );
  log.info({ ...delivery.urls, identitySource: v.identitySource }, "refresher started");
  if (adopted) log.info({ nextRefreshAt: new Date(loop.nextRefreshAt()).toISOString() }, "next refresh scheduled");
  const running = delivery;
  const finished = (async () => {
    // runs until SIGTERM/SIGINT; then an in-flight refresh (and its atomic file write) may finish, within the timeout
    await new Promise<void>((resolve) =>
      stop.signal.aborted ? resolve() : stop.signal.addEventListener("abort", () => resolve(), { once: true }),
    );
    const deadline = clock.now() + v.shutdownTimeoutMs;
    const loopEnded = await withinMs(loop.done, v.shutdownTimeoutMs);
    if (!loopEnded) {
      log.warn(
        { shutdownTimeoutMs: v.shutdownTimeoutMs },
        "an in-flight refresh did not finish in time; stopping anyway (files are replaced atomically)",
      );
    }
    events.close();
    watcher?.close();
    const closeAll = Promise.all([running.close(), identity.close()]);
    const closed = await withinMs(closeAll, Math.max(0, deadline - clock.now()));
    // a write may still be in flight otherwise: the next start takes the lock over
    if (loopEnded) await lock?.release();
    log.info({ clean: loopEnded && closed }, "refresher stopped");
  })();
  return { store, metrics, loop, finished };
}

/**
 * The identity source named by --identity-source (Vault or files), with the session config to use it for; `files` is
 * the same source when it reads files, so that they can be watched.
 */
async function identityFromSettings(
  v: RefresherValues,
  io: SettingsIo,
  deps: RefresherDeps & { metrics: Metrics },
): Promise<{ identity: IdentitySource; files?: FileIdentitySource; pipeline: SessionConfig & { stsRegion: string } }> {
  const { clock, log, metrics } = deps;
  // the refresher command's validate made sure each source has what it needs
  if (v.identitySource === "files") {
    const pipeline = await sessionFromSettings(v, io);
    const files = {
      certificate: v.certificate!,
      privateKey: v.privateKey!,
      intermediates: v.intermediates,
      password: deps.env.IAMRA_PKCS8_PASSWORD,
    };
    const identity = createFileIdentitySource(files, { clock, log });
    return { identity, files: identity, pipeline };
  }
  const vaultAddr = v.vaultAddr!;
  // loaded only in Vault mode: the Vault pipeline and the CSR library are not needed in Vault Agent mode
  const [{ pipelineFromSettings }, { createVaultIdentitySource }] = await Promise.all([
    import("../lib/pipeline/pipelineFromSettings.js"),
    import("../lib/identity/vaultIdentitySource.js"),
  ]);
  const built = await pipelineFromSettings({ ...v, vaultAddr }, io, { clock, log, signal: deps.signal });
  const identity = createVaultIdentitySource({
    vault: built.vault,
    auth: built.vaultAuth,
    certificate: built.certificate,
    clock,
    log,
    metrics,
    newCertificateEveryTime: v.newCertificateEveryRefresh,
  });
  return { identity, pipeline: { ...built.session, stsRegion: built.stsRegion } };
}

function logCleanup(log: Logger, dir: string, r: Awaited<ReturnType<typeof removeStaleTempFiles>>): void {
  if (r.removed.length) log.info({ dir, removed: r.removed }, "removed stale temp files");
  if (r.failed.length) log.warn({ dir, failed: r.failed }, "cannot remove stale temp files");
}

/** True when `p` settles within `ms`, false otherwise (the timer does not keep the process alive). */
function withinMs(p: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([
    p.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref()),
  ]);
}
