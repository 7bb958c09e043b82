import type { StoredPolicy } from "./PolicyStore.js";
import type { Entity } from "../identity/IdentityStore.js";
import { isTemplate, renderIdentityTemplate, TemplateError } from "../identity/renderIdentityTemplate.js";

interface MergedRule {
  pattern: string;
  caps: Set<string>;
}

/**
 * The capabilities a set of policies grants on a path, per vault/acl.go: rules for the same pattern merge
 * (deny wins), an exact rule beats any glob, and among `*`/`+` rules the highest-priority one applies.
 * Templated patterns are rendered against the entity; a rendering error drops the rule.
 */
export function resolveCapabilities(policies: StoredPolicy[], path: string, entity: Entity | undefined): Set<string> {
  if (policies.some((p) => p.name === "root")) return new Set(["root", "sudo", "create", "read", "update", "delete", "list", "patch"]);
  const merged = new Map<string, MergedRule>();
  for (const policy of policies) {
    for (const rule of policy.rules) {
      let pattern = rule.path;
      if (isTemplate(pattern)) {
        try {
          pattern = renderIdentityTemplate(pattern, entity);
        } catch (err) {
          if (err instanceof TemplateError) continue; // Vault skips policy paths whose template cannot be rendered
          throw err;
        }
      }
      const m = merged.get(pattern) ?? { pattern, caps: new Set<string>() };
      rule.capabilities.forEach((c) => m.caps.add(c));
      merged.set(pattern, m);
    }
  }
  const finish = (caps: Set<string>) => (caps.has("deny") ? new Set<string>() : caps);
  const exact = merged.get(path);
  if (exact && !exact.pattern.includes("+") && !exact.pattern.endsWith("*")) return finish(exact.caps);
  const candidates = [...merged.values()].filter(
    (r) => (r.pattern.includes("+") || r.pattern.endsWith("*")) && globMatches(r.pattern, path),
  );
  if (candidates.length === 0) return new Set();
  candidates.sort((a, b) => comparePriority(b.pattern, a.pattern));
  return finish(candidates[0]!.caps);
}

function globMatches(pattern: string, path: string): boolean {
  const prefix = pattern.endsWith("*");
  const body = prefix ? pattern.slice(0, -1) : pattern;
  const re = body
    .split("/")
    .map((seg) => (seg === "+" ? "[^/]+" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${re}${prefix ? ".*" : ""}$`).test(path);
}

function firstWildcard(p: string): number {
  const idx = [p.indexOf("+"), p.indexOf("*")].filter((i) => i >= 0);
  return idx.length ? Math.min(...idx) : p.length;
}

/** Positive when `a` has higher priority than `b` (Vault docs, "Priority matching"). */
function comparePriority(a: string, b: string): number {
  const wa = firstWildcard(a);
  const wb = firstWildcard(b);
  if (wa !== wb) return wa - wb;
  const ea = a.endsWith("*");
  const eb = b.endsWith("*");
  if (ea !== eb) return ea ? -1 : 1;
  const pa = a.split("/").filter((s) => s === "+").length;
  const pb = b.split("/").filter((s) => s === "+").length;
  if (pa !== pb) return pb - pa;
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
