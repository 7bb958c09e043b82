/**
 * The API server's own checks of an events.k8s.io/v1 Event (beyond the OpenAPI schema): required fields, value
 * limits and which fields an update may change. Each returns the problems found, in the API server's wording.
 */

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = new RegExp(
  `^(${DNS_SUBDOMAIN.source.slice(1, -1)}/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$`,
);

type Obj = Record<string, any>;

/** Problems of a new Event posted to namespace `namespace` (empty when the API server would accept it). */
export function eventCreateProblems(e: Obj, namespace: string): string[] {
  const p: string[] = [];
  const name = e.metadata?.name;
  if (typeof name !== "string" || name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    p.push(`metadata.name: Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of ...`);
  }
  if (e.metadata?.namespace !== undefined && e.metadata.namespace !== namespace) {
    p.push("the namespace of the provided object does not match the namespace sent on the request");
  }
  if (!e.eventTime) p.push("eventTime: Required value");
  if (e.type !== "Normal" && e.type !== "Warning") p.push(`type: Unsupported value: ${JSON.stringify(e.type)}`);
  if (typeof e.reportingController !== "string" || !QUALIFIED_NAME.test(e.reportingController)) {
    p.push(`reportingController: Invalid value: ${JSON.stringify(e.reportingController)}`);
  }
  for (const field of ["reportingInstance", "action", "reason"]) {
    const v = e[field];
    if (typeof v !== "string" || v === "") p.push(`${field}: Required value`);
    else if (v.length > 128) p.push(`${field}: Too long: may not be longer than 128`);
  }
  if (typeof e.note === "string" && Buffer.byteLength(e.note, "utf8") > 1024) {
    p.push("note: Too long: may not be longer than 1024");
  }
  if (e.regarding?.namespace !== undefined && e.regarding.namespace !== namespace) {
    const value = JSON.stringify(e.regarding.namespace);
    p.push(`regarding.namespace: Invalid value: ${value}: does not match event.namespace`);
  }
  if (e.series !== undefined) {
    if (!(Number.isInteger(e.series.count) && e.series.count >= 2)) {
      p.push("series.count: Invalid value: should be at least 2");
    }
    if (!e.series.lastObservedTime) p.push("series.lastObservedTime: Required value");
  }
  return p;
}

/** Fields of an events.k8s.io/v1 Event that an update changed although only `series` may change. */
export function eventUpdateProblems(before: Obj, after: Obj): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const p: string[] = [];
  for (const key of keys) {
    if (key === "series" || key === "metadata") continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) p.push(`${key}: Invalid value: field is immutable`);
  }
  return p;
}

/** RFC 7386 JSON Merge Patch of `target` with `patch`. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const out: Obj = target !== null && typeof target === "object" && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch as Obj)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
