import type { StoredPolicy } from "./PolicyStore.js";

/**
 * The capabilities a set of policies grants on a path: rules for the same pattern merge (deny wins), an exact rule
 * beats any glob, and among `prefix*` globs the longest prefix applies (the cases of Vault's priority matching that
 * exact and `*` rules reach; `+` segments and identity templates are not supported).
 */
export function resolveCapabilities(policies: StoredPolicy[], path: string): Set<string> {
  if (policies.some((p) => p.name === "root"))
    return new Set(["root", "sudo", "create", "read", "update", "delete", "list", "patch"]);
  let best: { pattern: string; caps: Set<string> } | undefined;
  for (const rule of policies.flatMap((p) => p.rules)) {
    const glob = rule.path.endsWith("*");
    const matches = glob ? path.startsWith(rule.path.slice(0, -1)) : path === rule.path;
    if (!matches) continue;
    if (best?.pattern === rule.path) rule.capabilities.forEach((c) => best!.caps.add(c));
    else if (!best || outranks(rule.path, best.pattern)) {
      best = { pattern: rule.path, caps: new Set(rule.capabilities) };
    }
  }
  if (!best || best.caps.has("deny")) return new Set();
  return best.caps;
}

/** True when matching pattern `a` takes precedence over matching pattern `b`: exact first, then the longer glob. */
function outranks(a: string, b: string): boolean {
  const aGlob = a.endsWith("*");
  if (aGlob !== b.endsWith("*")) return !aGlob;
  return a.length > b.length;
}
