import type { Route, VaultRequest, VaultResponse } from "../http/vaultTypes.js";
import { VaultHttpError } from "../http/VaultHttpError.js";
import type { MountEntry } from "../state/VaultState.js";
import { AUTH_METHODS, SECRET_ENGINES } from "../state/backendFactories.js";
import { parseDurationSeconds } from "../fields/durations.js";

/** One row of `GET sys/mounts` / `GET sys/auth` (vault/logical_system.go mountInfo). */
function mountView(req: VaultRequest, entry: MountEntry): Record<string, unknown> {
  const config: Record<string, unknown> = {
    default_lease_ttl: entry.defaultLeaseTtl,
    max_lease_ttl: entry.maxLeaseTtl,
    force_no_cache: false,
  };
  if (entry.table === "auth") config["token_type"] = "default-service";
  return {
    accessor: entry.accessor,
    config,
    description: entry.description,
    external_entropy_access: false,
    local: false,
    options: null,
    seal_wrap: false,
    type: entry.type,
    uuid: entry.uuid,
    plugin_version: "",
    running_plugin_version: `v${req.state.version}+builtin.vault`,
    running_sha256: "",
  };
}

function tableOf(req: VaultRequest, table: "secret" | "auth") {
  return table === "auth" ? req.state.authMounts : req.state.mounts;
}

function listMounts(table: "secret" | "auth") {
  return (req: VaultRequest): VaultResponse => {
    const data: Record<string, unknown> = {};
    for (const [path, entry] of [...tableOf(req, table)].sort(([a], [b]) => a.localeCompare(b)))
      data[path] = mountView(req, entry);
    return { data, injectTop: true };
  };
}

function mountPathOf(req: VaultRequest): string {
  return `${req.params["path"]!.replace(/^\/+|\/+$/g, "")}/`;
}

function ttlOrZero(value: unknown): number {
  if (value === undefined || value === "" || value === "system") return 0;
  try {
    return parseDurationSeconds(value);
  } catch (err) {
    throw VaultHttpError.badRequest(`unable to parse TTL: ${(err as Error).message}`);
  }
}

function enable(table: "secret" | "auth") {
  return (req: VaultRequest): null => {
    const path = mountPathOf(req);
    const type = String(req.fields["type"] ?? "");
    if (!type) throw VaultHttpError.badRequest("backend type must be specified as a string");
    const existing = tableOf(req, table).get(path);
    const reserved = table === "secret" && ["sys/", "identity/", "cubbyhole/", "auth/"].some((p) => path.startsWith(p));
    if (existing || reserved || (table === "auth" && path === "token/")) {
      throw VaultHttpError.badRequest(`path is already in use at ${path}`);
    }
    const factory = (table === "auth" ? AUTH_METHODS : SECRET_ENGINES)[type];
    if (!factory) throw VaultHttpError.badRequest(`plugin not found in the catalog: ${type}`);
    const config = (req.fields["config"] as Record<string, unknown> | undefined) ?? {};
    req.state.addMount({
      path,
      table,
      type,
      description: String(req.fields["description"] ?? ""),
      defaultLeaseTtl: ttlOrZero(config["default_lease_ttl"]),
      maxLeaseTtl: ttlOrZero(config["max_lease_ttl"]),
      backend: factory(),
    });
    req.state.log.info({ path, type, table }, "mount enabled");
    return null;
  };
}

function disable(table: "secret" | "auth") {
  return (req: VaultRequest): null => {
    const path = mountPathOf(req);
    if (table === "secret" && ["sys/", "identity/", "cubbyhole/"].includes(path))
      throw VaultHttpError.badRequest(`cannot unmount "${path}"`);
    if (table === "auth" && path === "token/")
      throw VaultHttpError.badRequest("token credential backend cannot be disabled");
    tableOf(req, table).delete(path);
    return null;
  };
}

function mountOrError(req: VaultRequest, table: "secret" | "auth"): MountEntry {
  const path = mountPathOf(req);
  const entry = tableOf(req, table).get(path);
  if (!entry)
    throw VaultHttpError.badRequest(`cannot fetch sysview for path "${table === "auth" ? "auth/" : ""}${path}"`);
  return entry;
}

/** Tunes what the product tunes: max_lease_ttl (other tune fields are accepted and ignored). */
function writeTune(table: "secret" | "auth") {
  return (req: VaultRequest): null => {
    const entry = mountOrError(req, table);
    if (req.body["max_lease_ttl"] !== undefined) entry.maxLeaseTtl = ttlOrZero(req.body["max_lease_ttl"]);
    return null;
  };
}

const ENABLE_FIELDS = {
  type: "string",
  description: "string",
  config: "map",
  options: "map",
  local: "bool",
  seal_wrap: "bool",
  external_entropy_access: "bool",
  plugin_name: "string",
  plugin_version: "string",
} as const;

function tableRoutes(prefix: "mounts" | "auth", table: "secret" | "auth"): Route[] {
  const sudo = table === "auth" ? (["update", "delete"] as const) : ([] as const);
  return [
    { pattern: new RegExp(`^${prefix}$`), ops: { read: listMounts(table) } },
    { pattern: new RegExp(`^${prefix}/(?<path>.+)/tune$`), ops: { update: writeTune(table) } },
    {
      pattern: new RegExp(`^${prefix}/(?<path>.+)$`),
      fields: ENABLE_FIELDS,
      sudo: [...sudo],
      ops: {
        update: enable(table),
        delete: disable(table),
        read: (r) => ({ data: mountView(r, mountOrError(r, table)), injectTop: true }),
      },
    },
  ];
}

/** sys/mounts and sys/auth: list, enable, disable, read and tune max_lease_ttl. */
export const sysMountRoutes: Route[] = [...tableRoutes("mounts", "secret"), ...tableRoutes("auth", "auth")];
