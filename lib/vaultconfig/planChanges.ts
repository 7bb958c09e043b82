import type { Change, CurrentState, DesiredState, FieldDiff, FieldValue, Plan } from "./VaultResource.js";

/** A Vault list value as an array of strings: null/"" → [], "a,b" → ["a","b"]. */
function toList(value: unknown): string[] {
  if (value === undefined || value === null || value === "") return [];
  if (Array.isArray(value)) return value.map((v) => String(v).trim());
  return String(value)
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

/** True when Vault's `actual` equals the desired value (lists as sets, numbers from strings, absent strings as ""). */
export function sameValue(desired: FieldValue, actual: unknown): boolean {
  if (Array.isArray(desired)) {
    const a = [...toList(actual)].sort();
    const d = [...desired].sort();
    return a.length === d.length && a.every((v, i) => v === d[i]);
  }
  if (typeof desired === "number") return Number(actual ?? 0) === desired;
  if (typeof desired === "boolean") return actual === desired || String(actual) === String(desired);
  return String(actual ?? "").trim() === desired.trim();
}

/**
 * Diffs desired against current state into an ordered plan: create for absent objects, update with field-level diffs
 * for
 * drifted ones, conflict when a mount of another type is in the way, delete only for the config's removals that exist.
 * Pure: no I/O, same input → same plan.
 */
export function planChanges(desired: DesiredState, current: CurrentState): Plan {
  const changes: Change[] = [];
  for (const resource of desired.resources) {
    const found = current.objects.get(resource.path) ?? null;
    const { kind, path } = resource;
    if (found === null) {
      const diffs = Object.entries(resource.fields).map(([field, to]): FieldDiff => ({ field, to }));
      changes.push({ action: "create", kind, path, diffs, note: resource.note, resource });
      continue;
    }
    if ((kind === "secrets-mount" || kind === "auth-mount") && found.type !== resource.fields.type) {
      changes.push({
        action: "conflict",
        kind,
        path,
        resource,
        diffs: [{ field: "type", from: found.type, to: resource.fields.type }],
        note: `a ${String(found.type)} mount is already at ${path.replace(/^sys\/(mounts|auth)\//, "")}; vault-config will not replace it`,
      });
      continue;
    }
    const diffs = Object.entries(resource.fields)
      .filter(([field, to]) => !sameValue(to, found[field]))
      .map(([field, to]): FieldDiff => ({ field, from: found[field], to }));
    if (diffs.length > 0) changes.push({ action: "update", kind, path, diffs, resource });
  }
  for (const removal of desired.removals) {
    if ((current.objects.get(removal.path) ?? null) !== null)
      changes.push({ action: "delete", kind: removal.kind, path: removal.path, diffs: [] });
  }
  return { changes };
}
