import type { Route, VaultRequest, VaultResponse } from "../http/vaultTypes.js";
import { VaultHttpError } from "../http/VaultHttpError.js";
import { resolveCapabilities } from "../acl/resolveCapabilities.js";
import type { StoredPolicy } from "../acl/PolicyStore.js";

function nameOf(req: VaultRequest): string {
  return req.params["name"]!.toLowerCase();
}

function put(req: VaultRequest, text: string): void {
  const name = nameOf(req);
  if (name === "root") throw VaultHttpError.badRequest(`cannot update "root" policy`);
  if (!text) throw VaultHttpError.badRequest("'policy' parameter not supplied or empty");
  try {
    req.state.policies.put(name, text, req.state.clock.now());
  } catch (err) {
    throw VaultHttpError.badRequest(`failed to parse policy: ${(err as Error).message}`);
  }
}

function remove(req: VaultRequest): null {
  const name = nameOf(req);
  if (name === "root" || name === "default") throw VaultHttpError.badRequest(`cannot delete "${name}" policy`);
  req.state.policies.delete(name);
  return null;
}

function readPolicy(req: VaultRequest, key: "policy" | "rules", injectTop: boolean): VaultResponse {
  const policy = req.state.policies.get(nameOf(req));
  if (!policy) throw VaultHttpError.notFound();
  if (key === "rules") return { data: { name: policy.name, rules: policy.raw }, injectTop };
  // OpenBao's sys/policies/acl read also reports the policy's version, modification time and template options
  const data: Record<string, unknown> = {
    allow_slashes_in_identity_templates: false,
    allow_wildcards_in_identity_templates: false,
    cas_required: false,
    name: policy.name,
    policy: policy.raw,
    version: policy.version,
  };
  if (policy.modifiedMs) data["modified"] = new Date(policy.modifiedMs).toISOString();
  return { data, injectTop };
}

function capabilitiesSelf(req: VaultRequest): VaultResponse {
  const paths = (req.fields["paths"] as string[] | undefined) ?? (req.fields["path"] as string[] | undefined) ?? [];
  if (paths.length === 0) throw VaultHttpError.badRequest("paths must be supplied");
  const token = req.token!;
  const policies = token.policies.map((n) => req.state.policies.get(n)).filter((p): p is StoredPolicy => !!p);
  const entity = req.state.identity.get(token.entityId);
  const data: Record<string, unknown> = {};
  let all: string[] = [];
  for (const path of paths) {
    const caps = resolveCapabilities(policies, path, entity);
    const list = caps.has("root") ? ["root"] : caps.size ? [...caps].sort() : ["deny"];
    data[path] = list;
    all = list;
  }
  data["capabilities"] = all;
  return { data, injectTop: true };
}

/** sys/policies/acl (modern), sys/policy (legacy, top-level injected) and sys/capabilities-self. */
export const sysPolicyRoutes: Route[] = [
  { pattern: /^policies\/acl$/, ops: { list: (r) => ({ data: { keys: r.state.policies.names() } }) } },
  {
    pattern: /^policies\/acl\/(?<name>.+)$/,
    fields: { policy: "string" },
    exists: (r) => r.state.policies.get(nameOf(r)) !== undefined,
    ops: {
      read: (r) => readPolicy(r, "policy", false),
      update: (r) => {
        put(r, String(r.fields["policy"] ?? ""));
        return r.warnings.length ? { data: null } : null;
      },
      delete: remove,
    },
  },
  {
    pattern: /^policy$/,
    ops: {
      read: (r) => ({ data: { keys: r.state.policies.names(), policies: r.state.policies.names() }, injectTop: true }),
      list: (r) => ({ data: { keys: r.state.policies.names(), policies: r.state.policies.names() }, injectTop: true }),
    },
  },
  {
    pattern: /^policy\/(?<name>.+)$/,
    fields: { policy: "string", rules: "string" },
    exists: (r) => r.state.policies.get(nameOf(r)) !== undefined,
    ops: {
      read: (r) => readPolicy(r, "rules", true),
      update: (r) => {
        const usesRules = !r.fields["policy"] && !!r.fields["rules"];
        put(r, String(r.fields["policy"] || r.fields["rules"] || ""));
        if (usesRules) return { data: null, warnings: ["'rules' is deprecated, please use 'policy' instead"] };
        return null;
      },
      delete: remove,
    },
  },
  { pattern: /^capabilities-self$/, fields: { path: "commaList", paths: "commaList", token: "string" }, ops: { update: capabilitiesSelf } },
];
