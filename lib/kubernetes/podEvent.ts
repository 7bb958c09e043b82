/**
 * events.k8s.io/v1 Events about the pod iamra-vault runs in (the same objects `kubectl describe pod` and
 * `kubectl get events` list). Field limits follow the API server's validation of events.k8s.io/v1.
 */
import { randomBytes } from "node:crypto";

/** The pod an event is about, from the downward API (metadata.name, metadata.namespace, metadata.uid). */
export interface PodReference {
  name: string;
  namespace: string;
  uid?: string;
}

/** What one event says. */
export interface PodEventContent {
  type: "Normal" | "Warning";
  /** UpperCamelCase, at most 128 characters (e.g. CredentialsFailed). */
  reason: string;
  /** What iamra-vault was doing (e.g. RefreshCredentials), at most 128 characters. */
  action: string;
  /** Human-readable text, cut to the API server's 1 kB limit. */
  note: string;
}

/** An events.k8s.io/v1 Event (only the fields iamra-vault sets). */
export interface PodEvent {
  apiVersion: "events.k8s.io/v1";
  kind: "Event";
  metadata: { name: string; namespace: string };
  eventTime: string;
  reportingController: string;
  reportingInstance: string;
  action: string;
  reason: string;
  type: "Normal" | "Warning";
  note: string;
  regarding: { apiVersion: "v1"; kind: "Pod"; name: string; namespace: string; uid?: string };
  series?: EventSeries;
}

/** The repetition record of an event (events.k8s.io/v1 EventSeries: count is at least 2). */
export interface EventSeries {
  count: number;
  lastObservedTime: string;
}

/** reportingController of every event iamra-vault writes (a qualified name, as the API server requires). */
export const REPORTING_CONTROLLER = "iamra-vault";
/** The API server refuses a note longer than this many bytes. */
export const NOTE_LIMIT_BYTES = 1024;
const FIELD_LIMIT = 128;

/** Epoch ms → MicroTime (RFC 3339 with six fractional digits, UTC), the format of eventTime and lastObservedTime. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** `text` cut to at most `limit` UTF-8 bytes, marked with "…" when cut (never splits a character). */
export function truncateUtf8(text: string, limit: number): string {
  if (Buffer.byteLength(text, "utf8") <= limit) return text;
  let out = "";
  let used = Buffer.byteLength("…", "utf8");
  for (const ch of text) {
    const size = Buffer.byteLength(ch, "utf8");
    if (used + size > limit) break;
    out += ch;
    used += size;
  }
  return `${out}…`;
}

/**
 * A new Event about `pod`. The name is the pod's name plus a random suffix, like the kubelet's events, kept within the
 * 253 characters of a DNS subdomain; `instance` names the reporter (e.g. "refresher@<pod>").
 */
export function buildPodEvent(
  pod: PodReference,
  content: PodEventContent,
  o: { instance: string; nowMs: number; suffix?: string },
): PodEvent {
  const suffix = o.suffix ?? randomBytes(8).toString("hex");
  // a cut name must still end in a letter or digit to stay a DNS subdomain
  const stem = pod.name.slice(0, 253 - suffix.length - 1).replace(/[-.]+$/, "");
  return {
    apiVersion: "events.k8s.io/v1",
    kind: "Event",
    metadata: { name: `${stem}.${suffix}`, namespace: pod.namespace },
    eventTime: microTime(o.nowMs),
    reportingController: REPORTING_CONTROLLER,
    reportingInstance: o.instance.slice(0, FIELD_LIMIT),
    action: content.action.slice(0, FIELD_LIMIT),
    reason: content.reason.slice(0, FIELD_LIMIT),
    type: content.type,
    note: truncateUtf8(content.note, NOTE_LIMIT_BYTES),
    regarding: {
      apiVersion: "v1",
      kind: "Pod",
      name: pod.name,
      namespace: pod.namespace,
      ...(pod.uid ? { uid: pod.uid } : {}),
    },
  };
}
