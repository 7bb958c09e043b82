import type { Route, VaultRequest, VaultResponse } from "../http/vaultTypes.js";
import { VaultHttpError } from "../http/VaultHttpError.js";

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

function readPolicy(req: VaultRequest): VaultResponse {
  const policy = req.state.policies.get(nameOf(req));
  if (!policy) throw VaultHttpError.notFound();
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
  return { data };
}

/** sys/policies/acl: list, read, write and delete ACL policies. */
export const sysPolicyRoutes: Route[] = [
  { pattern: /^policies\/acl$/, ops: { list: (r) => ({ data: { keys: r.state.policies.names() } }) } },
  {
    pattern: /^policies\/acl\/(?<name>.+)$/,
    fields: { policy: "string" },
    exists: (r) => r.state.policies.get(nameOf(r)) !== undefined,
    ops: {
      read: readPolicy,
      update: (r) => {
        put(r, String(r.fields["policy"] ?? ""));
        return r.warnings.length ? { data: null } : null;
      },
      delete: remove,
    },
  },
];
