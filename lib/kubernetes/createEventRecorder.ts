/**
 * Kubernetes Events about credential failures and recovery, sent in the background: the credential path only queues,
 * never waits. Repeats of one error code become one Event with a growing series count (events.k8s.io/v1 EventSeries),
 * API calls are rate-limited by a token bucket, the queue is bounded, and a missing permission or an unreachable API
 * server is logged once and otherwise ignored, so credential delivery never depends on the Events API.
 */
import type { Logger } from "../log.js";
import { isIamraError } from "../errors.js";
import type { Clock } from "../time/clock.js";
import { buildPodEvent, microTime, type PodEvent, type PodReference } from "./podEvent.js";
import type { KubernetesResponse } from "./requestKubernetesApi.js";

/** What init and the refresher report; neither call blocks nor throws. */
export interface CredentialEvents {
  /** Obtaining or refreshing credentials failed with `err`: a Warning Event (or one more in its series). */
  failed(err: unknown): void;
  /** Credentials were obtained: a Normal Event when the previous outcome was a failure, nothing otherwise. */
  succeeded(): void;
  /** Resolves once every queued Event was sent, or after `ms`, whichever comes first. */
  flush(ms: number): Promise<void>;
  /** Stops sending; queued Events are dropped. */
  close(): void;
}

/** One call to the Events API (bound to the API server, token, CA and timeout by the caller). */
export type EventsApiCall = (r: {
  method: "POST" | "PATCH";
  path: string;
  body: unknown;
  contentType?: string;
}) => Promise<KubernetesResponse>;

/** Options of createEventRecorder. */
export interface EventRecorderOptions {
  pod: PodReference;
  /** reportingInstance, e.g. "refresher@<pod>". */
  instance: string;
  /** The action events name, e.g. "RefreshCredentials". */
  action: string;
  api: EventsApiCall;
  clock: Clock;
  log: Logger;
  /** Most Events waiting to be sent; more are dropped (default 16). */
  queueLimit?: number;
  /** API calls allowed at once (default 5), then one per `refillMs` (default 60 s). */
  burst?: number;
  refillMs?: number;
  /** A repeat of an error code within this time of the last one joins its series (default 30 min). */
  seriesWindowMs?: number;
}

/** Reason of the Warning sent when obtaining or refreshing credentials fails. */
export const FAILED_REASON = "CredentialsFailed";
/** Reason of the Normal Event sent when credentials are obtained again after a failure. */
export const RECOVERED_REASON = "CredentialsRecovered";

interface Series {
  code: string;
  event: PodEvent;
  count: number;
  lastMs: number;
  /** The Event exists in the API (created), so repeats are patched onto it. */
  created: boolean;
  /** A send of this series is queued and will read the latest count when it runs. */
  queued: boolean;
}

type Job = { kind: "series"; series: Series } | { kind: "single"; event: PodEvent };

const MAX_SERIES = 32;

/** A recorder that sends Events through `api`. */
export function createEventRecorder(o: EventRecorderOptions): CredentialEvents {
  const log = o.log.child({ component: "kubernetes-events" });
  const queueLimit = o.queueLimit ?? 16;
  const burst = o.burst ?? 5;
  const refillMs = o.refillMs ?? 60_000;
  const windowMs = o.seriesWindowMs ?? 30 * 60_000;
  const base = `/apis/events.k8s.io/v1/namespaces/${encodeURIComponent(o.pod.namespace)}/events`;
  const queue: Job[] = [];
  const series = new Map<string, Series>();
  const warned = new Set<string>();
  const stop = new AbortController();
  let tokens = burst;
  let refilledAtMs = o.clock.now();
  let failing = false;
  let failures = 0;
  let lastCode = "";
  let running: Promise<void> | undefined;
  let dropped = 0;

  const enqueue = (job: Job): void => {
    if (stop.signal.aborted) return;
    if (queue.length >= queueLimit) {
      dropped++;
      log.debug({ dropped }, "event queue full; event dropped");
      return;
    }
    queue.push(job);
    running ??= work().finally(() => (running = undefined));
  };

  async function takeToken(): Promise<void> {
    for (;;) {
      const now = o.clock.now();
      const earned = Math.floor((now - refilledAtMs) / refillMs);
      if (earned > 0) {
        tokens = Math.min(burst, tokens + earned);
        refilledAtMs = tokens === burst ? now : refilledAtMs + earned * refillMs;
      }
      if (tokens > 0) {
        tokens--;
        return;
      }
      await o.clock.sleep(refilledAtMs + refillMs - now, stop.signal);
    }
  }

  async function work(): Promise<void> {
    while (queue.length > 0 && !stop.signal.aborted) {
      try {
        await takeToken();
      } catch {
        return; // closed while waiting for the rate limit
      }
      const job = queue.shift()!;
      if (job.kind === "series") job.series.queued = false;
      try {
        await send(job);
      } catch (err) {
        report("unreachable", { error: (err as NodeJS.ErrnoException).code ?? (err as Error).message });
      }
    }
  }

  async function send(job: Job): Promise<void> {
    if (job.kind === "single") {
      await create(job.event);
      return;
    }
    const s = job.series;
    const seriesField = s.count >= 2 ? { count: s.count, lastObservedTime: microTime(s.lastMs) } : undefined;
    if (s.created && seriesField) {
      const path = `${base}/${encodeURIComponent(s.event.metadata.name)}`;
      const res = await o.api({ method: "PATCH", path, body: { series: seriesField }, contentType: MERGE_PATCH });
      if (res.status === 200) return;
      if (res.status !== 404) return void answerFailed(res);
      s.created = false; // the API server dropped the Event (events live about an hour): write it again
    }
    if (!s.created) s.created = await create(seriesField ? { ...s.event, series: seriesField } : s.event);
  }

  async function create(event: PodEvent): Promise<boolean> {
    const res = await o.api({ method: "POST", path: base, body: event });
    if (res.status === 201 || res.status === 200) return true;
    answerFailed(res);
    return false;
  }

  function answerFailed(res: KubernetesResponse): void {
    const message = apiMessage(res.body);
    if (res.status === 401) report("unauthorized", { status: res.status, message });
    else if (res.status === 403) report("forbidden", { status: res.status, message });
    else report("rejected", { status: res.status, message });
  }

  /** Warns once per kind of problem, then only at debug level: events are a courtesy, not a duty. */
  function report(kind: "unauthorized" | "forbidden" | "unreachable" | "rejected", fields: Record<string, unknown>) {
    const line = { ...fields, namespace: o.pod.namespace, hint: HINTS[kind] };
    if (warned.has(kind)) return log.debug(line, "kubernetes event not sent");
    warned.add(kind);
    log.warn(line, "kubernetes event not sent; credentials are unaffected (logged once)");
  }

  return {
    failed(err) {
      const code = isIamraError(err) ? err.code : "UNEXPECTED_ERROR";
      const message = err instanceof Error ? err.message : String(err);
      const hint = isIamraError(err) ? err.hint : undefined;
      const now = o.clock.now();
      failing = true;
      failures++;
      lastCode = code;
      const known = series.get(code);
      if (known && now - known.lastMs < windowMs) {
        known.count++;
        known.lastMs = now;
        if (!known.queued) {
          known.queued = true;
          enqueue({ kind: "series", series: known });
        }
        return;
      }
      const note = `[${code}] ${message}${hint ? ` Hint: ${hint}` : ""}`;
      const event = buildPodEvent(
        o.pod,
        { type: "Warning", reason: FAILED_REASON, action: o.action, note },
        { instance: o.instance, nowMs: now },
      );
      const s: Series = { code, event, count: 1, lastMs: now, created: false, queued: true };
      series.delete(code);
      series.set(code, s);
      if (series.size > MAX_SERIES) series.delete(series.keys().next().value!);
      enqueue({ kind: "series", series: s });
    },
    succeeded() {
      if (!failing) return;
      failing = false;
      const attempts = `${failures} failed attempt${failures === 1 ? "" : "s"}`;
      const note = `credentials obtained after ${attempts} (last: ${lastCode})`;
      failures = 0;
      series.clear(); // the next failure starts a new Warning
      enqueue({
        kind: "single",
        event: buildPodEvent(
          o.pod,
          { type: "Normal", reason: RECOVERED_REASON, action: o.action, note },
          { instance: o.instance, nowMs: o.clock.now() },
        ),
      });
    },
    async flush(ms) {
      if (!running) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
      clearTimeout(timer);
    },
    close() {
      queue.length = 0;
      stop.abort();
    },
  };
}

const MERGE_PATCH = "application/merge-patch+json";

const HINTS = {
  unauthorized:
    "the pod's service-account token was refused; mount it (automountServiceAccountToken or a projected token)",
  forbidden:
    "grant create and patch on events (API group events.k8s.io) in the pod's namespace to its ServiceAccount, " +
    "or turn events off with --no-kubernetes-events",
  unreachable:
    "check that the pod's API token is mounted, the pod reaches the Kubernetes API and its CA bundle is the right one",
  rejected: "the API server refused the Event; see message",
} as const;

/** The `message` of a Kubernetes Status body, if there is one. */
function apiMessage(body: string): string | undefined {
  try {
    const status = JSON.parse(body) as { message?: unknown };
    return typeof status.message === "string" ? status.message.slice(0, 300) : undefined;
  } catch {
    return undefined; // not a Status object: the HTTP status says enough
  }
}
