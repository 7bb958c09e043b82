import type { Route, VaultRequest, VaultResponse } from "../http/vaultTypes.js";
import { VaultHttpError } from "../http/VaultHttpError.js";
import type { MountEntry } from "../state/VaultState.js";
import { AUTH_METHODS, SECRET_ENGINES } from "../state/backendFactories.js";
import { parseDurationSeconds } from "../fields/durations.js";

/** One row of `GET sys/mounts` / `GET sys/auth` (vault/logical_system.go mountInfo). */
export function mountView(req: VaultRequest, entry: MountEntry): Record<string, unknown> {
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
    local: entry.local,
    options: entry.options,
    seal_wrap: entry.sealWrap,
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
    for (const [path, entry] of [...tableOf(req, table)].sort(([a], [b]) => a.localeCompare(b))) data[path] = mountView(req, entry);
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
      options: (req.fields["options"] as Record<string, string> | undefined) ?? null,
      local: (req.fields["local"] as boolean | undefined) ?? false,
      sealWrap: (req.fields["seal_wrap"] as boolean | undefined) ?? false,
      backend: factory(),
    });
    req.state.log.info({ path, type, table }, "mount enabled");
    return null;
  };
}

function disable(table: "secret" | "auth") {
  return (req: VaultRequest): null => {
    const path = mountPathOf(req);
    if (table === "secret" && ["sys/", "identity/", "cubbyhole/"].includes(path)) throw VaultHttpError.badRequest(`cannot unmount "${path}"`);
    if (table === "auth" && path === "token/") throw VaultHttpError.badRequest("token credential backend cannot be disabled");
    tableOf(req, table).delete(path);
    return null;
  };
}

function mountOrError(req: VaultRequest, table: "secret" | "auth"): MountEntry {
  const path = mountPathOf(req);
  const entry = tableOf(req, table).get(path);
  if (!entry) throw VaultHttpError.badRequest(`cannot fetch sysview for path "${table === "auth" ? "auth/" : ""}${path}"`);
  return entry;
}

function readTune(table: "secret" | "auth") {
  return (req: VaultRequest): VaultResponse => {
    const entry = mountOrError(req, table);
    const { defaultTtl, maxTtl } = req.state.ttls(entry);
    const data: Record<string, unknown> = {
      default_lease_ttl: defaultTtl,
      max_lease_ttl: maxTtl,
      force_no_cache: false,
      description: entry.description,
    };
    if (entry.options) data["options"] = entry.options;
    if (table === "auth") data["token_type"] = "default-service";
    return { data, injectTop: true };
  };
}

function writeTune(table: "secret" | "auth") {
  return (req: VaultRequest): null => {
    const entry = mountOrError(req, table);
    const max = req.body["max_lease_ttl"] !== undefined ? ttlOrZero(req.body["max_lease_ttl"]) : entry.maxLeaseTtl;
    const def = req.body["default_lease_ttl"] !== undefined ? ttlOrZero(req.body["default_lease_ttl"]) : entry.defaultLeaseTtl;
    if (max && def && def > max) throw VaultHttpError.badRequest("backend max lease TTL cannot be less than the default lease TTL");
    entry.maxLeaseTtl = max;
    entry.defaultLeaseTtl = def;
    if (req.fields["description"] !== undefined) entry.description = String(req.fields["description"]);
    return null;
  };
}

const ENABLE_FIELDS = {
  type: "string", description: "string", config: "map", options: "map", local: "bool", seal_wrap: "bool",
  external_entropy_access: "bool", plugin_name: "string", plugin_version: "string",
} as const;
const TUNE_FIELDS = {
  max_lease_ttl: "any", default_lease_ttl: "any", description: "string", options: "map", audit_non_hmac_request_keys: "any",
  audit_non_hmac_response_keys: "any", listing_visibility: "string", passthrough_request_headers: "any",
  allowed_response_headers: "any", token_type: "string", plugin_version: "string",
} as const;

function tableRoutes(prefix: "mounts" | "auth", table: "secret" | "auth"): Route[] {
  const sudo = table === "auth" ? (["update", "delete"] as const) : ([] as const);
  return [
    { pattern: new RegExp(`^${prefix}$`), ops: { read: listMounts(table) } },
    { pattern: new RegExp(`^${prefix}/(?<path>.+)/tune$`), fields: TUNE_FIELDS, ops: { read: readTune(table), update: writeTune(table) } },
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

/** sys/mounts and sys/auth: list, enable, disable, read and tune. */
export const sysMountRoutes: Route[] = [...tableRoutes("mounts", "secret"), ...tableRoutes("auth", "auth")];
