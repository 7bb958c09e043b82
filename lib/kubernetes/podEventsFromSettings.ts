/** Builds the Event recorder of init or the refresher from their settings, or a silent one when Events are off. */
import type { Logger } from "../log.js";
import type { Clock } from "../time/clock.js";
import type { ValuesOf } from "../config/setting.js";
import type { eventSettings } from "../config/settings/eventSettings.js";
import { createEventRecorder, type CredentialEvents } from "./createEventRecorder.js";
import { requestKubernetesApi } from "./requestKubernetesApi.js";

/** The resolved event settings (lib/config/settings/eventSettings.ts). */
export type PodEventSettings = ValuesOf<typeof eventSettings>;

/** Timeout of one Events API call. */
export const EVENTS_TIMEOUT_MS = 5_000;

/** A recorder that sends nothing. */
export const noEvents: CredentialEvents = {
  failed: () => undefined,
  succeeded: () => undefined,
  flush: async () => undefined,
  close: () => undefined,
};

/**
 * The recorder for `command` ("init" or "refresher"). Events are off, with one info line saying why, when they are
 * turned off, when the pod's name or namespace is unknown, when no API server is known, or when the CA bundle cannot
 * be read: none of these may stop credential delivery.
 */
export async function podEventsFromSettings(
  v: PodEventSettings,
  d: {
    command: string;
    action: string;
    /** $KUBERNETES_SERVICE_HOST and _PORT, set by the kubelet in every container. */
    serviceHost?: string;
    servicePort?: string;
    readFile: (path: string) => Promise<string>;
    clock: Clock;
    log: Logger;
  },
): Promise<CredentialEvents> {
  if (!v.kubernetesEvents) return noEvents;
  const off = (why: string, fields: Record<string, unknown> = {}) => {
    d.log.info({ ...fields, component: "kubernetes-events" }, `kubernetes events off: ${why}`);
    return noEvents;
  };
  if (!v.podName || !v.podNamespace) {
    return off("the pod name or namespace is not set (IAMRA_POD_NAME and IAMRA_POD_NAMESPACE, downward API)");
  }
  const host = d.serviceHost;
  const apiUrl =
    v.kubernetesApiUrl ??
    (host ? `https://${host.includes(":") ? `[${host}]` : host}:${d.servicePort ?? "443"}` : undefined);
  if (!apiUrl) return off("no Kubernetes API server (KUBERNETES_SERVICE_HOST is not set)");
  let caPem: string;
  try {
    caPem = await d.readFile(v.kubernetesCaFile);
  } catch (err) {
    return off("the Kubernetes CA bundle cannot be read", {
      file: v.kubernetesCaFile,
      error: (err as NodeJS.ErrnoException).code,
    });
  }
  const pod = { name: v.podName, namespace: v.podNamespace, uid: v.podUid };
  return createEventRecorder({
    pod,
    instance: `${d.command}@${v.podName}`,
    action: d.action,
    clock: d.clock,
    log: d.log,
    api: async (r) =>
      requestKubernetesApi({
        ...r,
        apiUrl,
        caPem,
        token: await d.readFile(v.kubernetesTokenFile),
        timeoutMs: EVENTS_TIMEOUT_MS,
      }),
  });
}
