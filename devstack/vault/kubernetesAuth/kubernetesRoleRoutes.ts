import type { Route, VaultRequest, VaultResponse } from "../http/vaultTypes.js";
import { VaultHttpError } from "../http/VaultHttpError.js";
import type { FieldSchema } from "../fields/coerceFields.js";
import type { KubeRole, KubernetesAuthState } from "./KubernetesAuthState.js";

const ROLE_FIELDS: FieldSchema = {
  bound_service_account_names: "commaList",
  bound_service_account_namespaces: "commaList",
  bound_service_account_namespace_selector: "string",
  audience: "string",
  alias_name_source: "string",
  token_policies: "commaList",
  token_ttl: "duration",
  token_max_ttl: "duration",
  token_period: "duration",
  token_num_uses: "int",
  token_bound_cidrs: "commaList",
  token_explicit_max_ttl: "duration",
  token_no_default_policy: "bool",
  token_type: "string",
};

function nameOf(req: VaultRequest): string {
  return req.params["name"]!.toLowerCase();
}

function writeRole(st: KubernetesAuthState, req: VaultRequest): VaultResponse | null {
  const f = req.fields;
  const name = nameOf(req);
  const prev = st.roles.get(name);
  const pick = <T>(key: string, fallback: T): T => (f[key] !== undefined ? (f[key] as T) : fallback);
  const role: KubeRole = {
    bound_service_account_names: pick("bound_service_account_names", prev?.bound_service_account_names ?? []),
    bound_service_account_namespaces: pick(
      "bound_service_account_namespaces",
      prev?.bound_service_account_namespaces ?? [],
    ),
    bound_service_account_namespace_selector: pick(
      "bound_service_account_namespace_selector",
      prev?.bound_service_account_namespace_selector ?? "",
    ),
    audience: pick("audience", prev?.audience ?? ""),
    alias_name_source: pick("alias_name_source", prev?.alias_name_source ?? "serviceaccount_uid"),
    token_policies: pick("token_policies", prev?.token_policies ?? []),
    token_ttl: pick("token_ttl", prev?.token_ttl ?? 0),
    token_max_ttl: pick("token_max_ttl", prev?.token_max_ttl ?? 0),
    token_period: pick("token_period", prev?.token_period ?? 0),
    token_num_uses: pick("token_num_uses", prev?.token_num_uses ?? 0),
    token_bound_cidrs: pick("token_bound_cidrs", prev?.token_bound_cidrs ?? []),
    token_explicit_max_ttl: pick("token_explicit_max_ttl", prev?.token_explicit_max_ttl ?? 0),
    token_no_default_policy: pick("token_no_default_policy", prev?.token_no_default_policy ?? false),
    token_type: pick("token_type", prev?.token_type ?? "default"),
  };
  const names = role.bound_service_account_names;
  if (names.length === 0) throw VaultHttpError.badRequest(`"bound_service_account_names" can not be empty`);
  if (names.length > 1 && names.includes("*")) throw VaultHttpError.badRequest(`can not mix "*" with values`);
  if (role.bound_service_account_namespaces.length === 0 && !role.bound_service_account_namespace_selector) {
    throw VaultHttpError.badRequest(
      `"bound_service_account_namespaces" can not be empty if "bound_service_account_namespace_selector" is not set`,
    );
  }
  if (role.bound_service_account_namespaces.length > 1 && role.bound_service_account_namespaces.includes("*")) {
    throw VaultHttpError.badRequest(`can not mix "*" with values`);
  }
  if (!["serviceaccount_uid", "serviceaccount_name"].includes(role.alias_name_source)) {
    throw VaultHttpError.badRequest(`invalid alias_name_source "${role.alias_name_source}"`);
  }
  if (role.token_max_ttl > 0 && role.token_ttl > role.token_max_ttl)
    throw VaultHttpError.badRequest("token ttl should not be greater than token max ttl");
  st.roles.set(name, role);
  // OpenBao's kubernetes auth plugin does not warn about a role without an audience (newer Vault plugins do)
  const warnings: string[] = [];
  if (role.token_max_ttl > req.state.ttls(req.mount).maxTtl) {
    warnings.push(
      "max_ttl is greater than the system or backend mount's maximum TTL value; issued tokens' max TTL value will be truncated",
    );
  }
  return warnings.length ? { data: null, warnings } : null;
}

function readRole(st: KubernetesAuthState, req: VaultRequest): VaultResponse {
  const role = st.roles.get(nameOf(req));
  if (!role) throw VaultHttpError.notFound();
  const { audience, ...rest } = role;
  const data: Record<string, unknown> = { ...rest };
  if (audience) data["audience"] = audience;
  return { data };
}

/** `role/:name` and `role` (LIST) of the kubernetes auth method (path_role.go). */
export function kubernetesRoleRoutes(st: KubernetesAuthState): Route[] {
  return [
    {
      pattern: /^role$/,
      ops: {
        list: () => {
          if (st.roles.size === 0) throw VaultHttpError.notFound();
          return { data: { keys: [...st.roles.keys()].sort() } };
        },
      },
    },
    {
      pattern: /^role\/(?<name>[^/]+)$/,
      fields: ROLE_FIELDS,
      exists: (r) => st.roles.has(nameOf(r)),
      ops: {
        read: (r) => readRole(st, r),
        update: (r) => writeRole(st, r),
        delete: (r) => {
          st.roles.delete(nameOf(r));
          return null;
        },
      },
    },
  ];
}
