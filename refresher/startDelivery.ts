import type { Logger } from "../lib/log.js";
import type { Clock } from "../lib/time/clock.js";
import type { CredentialStore } from "../lib/deliver/credentialStore.js";
import type { Metrics } from "../lib/deliver/metrics.js";
import { createAuthToken, startContainerEndpoint, writeTokenFile } from "../lib/deliver/containerEndpoint.js";
import { reusableEndpointToken } from "../lib/deliver/reusableEndpointToken.js";
import { startImdsEndpoint } from "../lib/deliver/imdsEndpoint.js";
import { startOpsServer } from "../lib/deliver/opsServer.js";
import type { RefreshLoop } from "../lib/refresh/runRefreshLoop.js";
import type { RefresherSettingsValues } from "./refresherCommand.js";

/** The delivery settings startDelivery reads. */
type DeliverySettings = Pick<
  RefresherSettingsValues,
  "credentialsEndpoint" | "endpointPort" | "endpointPath" | "fileMode" | "imds" | "imdsPort" | "opsHost" | "opsPort"
>;

/** Starts what the refresher serves: credentials endpoint (+ token file), IMDS emulation, ops server. */
export async function startDelivery(
  v: DeliverySettings,
  d: {
    store: CredentialStore;
    metrics: Metrics;
    log: Logger;
    clock: Clock;
    loop: RefreshLoop;
    roleArn: string;
    tokenFile: string;
  },
) {
  const closers: Array<() => Promise<void> | void> = [];
  const urls: Record<string, string> = {};
  try {
    const ops = await startOpsServer({
      host: v.opsHost,
      port: v.opsPort,
      isAlive: () => ({ ok: d.loop.alive(), reason: d.loop.alive() ? undefined : "refresh loop stalled" }),
      isReady: () => {
        const r = d.store.readiness();
        return { ok: r.ready, reason: r.reason };
      },
      metrics: d.metrics,
      log: d.log,
    });
    closers.push(() => ops.close());
    urls.ops = ops.url;
    if (v.credentialsEndpoint) {
      // a restarted container finds its earlier token in the pod's emptyDir: clients that cached it keep working
      const kept = await reusableEndpointToken(d.tokenFile, { mode: v.fileMode, uid: process.geteuid?.() ?? -1 });
      const token = kept.token ?? createAuthToken();
      // listen first: a refresher that cannot bind (port in use) must not replace the token of the one that did
      const endpoint = await startContainerEndpoint({
        store: d.store,
        port: v.endpointPort,
        path: v.endpointPath,
        authToken: token,
        log: d.log,
        metrics: d.metrics,
      });
      closers.push(() => endpoint.close());
      if (kept.token) d.log.info({ tokenFile: d.tokenFile }, "endpoint token kept from the previous run");
      else {
        await writeTokenFile(d.tokenFile, token, v.fileMode);
        d.log.info({ tokenFile: d.tokenFile, previous: kept.reason }, "endpoint token written");
      }
      urls.credentialsEndpoint = endpoint.url;
      urls.tokenFile = d.tokenFile;
    }
    if (v.imds) {
      const imds = await startImdsEndpoint({
        store: d.store,
        port: v.imdsPort,
        roleName: d.roleArn.split("/").pop()!,
        log: d.log,
        clock: d.clock,
        metrics: d.metrics,
      });
      closers.push(() => imds.close());
      urls.imds = imds.url;
    }
  } catch (err) {
    for (const c of closers.reverse()) await c();
    throw err;
  }
  return {
    urls,
    close: async () => {
      for (const c of closers.reverse()) await c();
    },
  };
}
