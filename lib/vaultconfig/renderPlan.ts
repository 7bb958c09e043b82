import type { Change, Plan, ResourceKind } from "./VaultResource.js";

const LABELS: Record<ResourceKind, string> = {
  "secrets-mount": "secrets engine",
  "auth-mount": "auth method",
  "pki-root-ca": "root CA",
  "pki-intermediate-ca": "intermediate CA",
  "pki-urls": "PKI URLs",
  "kubernetes-auth-config": "kubernetes auth config",
  "acl-policy": "ACL policy",
  "pki-role": "PKI role",
  "kubernetes-role": "kubernetes auth role",
};

const SYMBOLS: Record<Change["action"], string> = { create: "+", update: "~", delete: "-", conflict: "!" };

function show(value: unknown): string {
  if (value === undefined) return "(unset)";
  if (typeof value === "string" && value.includes("\n"))
    return `|\n${value
      .trimEnd()
      .split("\n")
      .map((l) => `          ${l}`)
      .join("\n")}`;
  return JSON.stringify(value);
}

/** One change as text: a header line, an optional note, then one line per field. */
export function renderChange(change: Change): string {
  const lines = [`  ${SYMBOLS[change.action]} ${change.action} ${LABELS[change.kind]} ${change.path}`];
  if (change.note) lines.push(`      ${change.note}`);
  for (const d of change.diffs) {
    lines.push(
      change.action === "create"
        ? `      ${d.field}: ${show(d.to)}`
        : `      ${d.field}: ${show(d.from)} → ${show(d.to)}`,
    );
  }
  if (change.resource?.secrets)
    for (const k of Object.keys(change.resource.secrets)) lines.push(`      ${k}: (sensitive)`);
  return lines.join("\n");
}

/**
 * A plan as human-readable text, ending with a count line ("No changes." when Vault matches the config); `applied`
 * renders the same changes as done by apply ("Applied n change(s) to …", "Done: …").
 */
export function renderPlan(plan: Plan, target: string, opts: { applied?: boolean } = {}): string {
  if (plan.changes.length === 0) return `Vault at ${target} matches the config. No changes.\n`;
  const counts = (["create", "update", "delete", "conflict"] as const)
    .map((a) => [a, plan.changes.filter((c) => c.action === a).length] as const)
    .filter(([, n]) => n > 0)
    .map(([a, n]) => `${n} to ${a === "conflict" ? "resolve by hand" : a}`);
  const n = plan.changes.length;
  const heading = opts.applied ? `Applied ${n} change(s) to Vault at ${target}:` : `Vault at ${target}: ${n} change(s)`;
  const total = `${opts.applied ? "Done" : "Plan"}: ${counts.join(", ")}.`;
  return [heading, ...plan.changes.map(renderChange), total, ""].join("\n");
}
