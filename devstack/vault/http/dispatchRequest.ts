import type { VaultState } from "../state/VaultState.js";
import type { Operation, Route, VaultRequest, VaultResponse } from "./vaultTypes.js";
import { VaultHttpError } from "./VaultHttpError.js";
import { coerceFields, unknownParamsWarning } from "../fields/coerceFields.js";
import { resolveCapabilities } from "../acl/resolveCapabilities.js";
import type { TokenEntry } from "../token/TokenStore.js";
import type { StoredPolicy } from "../acl/PolicyStore.js";

/** Paths that answer while sealed (vault/http handler: sys/health, sys/seal-status, sys/unseal). */
const SEALED_OK = new Set(["sys/health", "sys/seal-status", "sys/unseal"]);

/** Backends whose writes ignore unknown parameters silently (no "Endpoint ignored …" warning) in OpenBao. */
const QUIET_BACKENDS = new Set(["system", "kubernetes"]);

/** The logical request after HTTP parsing. */
export interface LogicalInput {
  op: Operation;
  path: string;
  body: Record<string, unknown>;
  query: URLSearchParams;
  clientToken?: string;
  /** Called with the accessor of the caller's token as soon as it is known (for the request log). */
  onToken?: (accessor: string) => void;
}

/** The handler's answer plus what the request log records and the envelope needs. */
export interface DispatchResult {
  response: VaultResponse | null;
  tokenAccessor?: string;
}

/** Runs one logical request through Vault's core: seal check, routing, token and ACL checks, field coercion. */
export async function dispatchRequest(state: VaultState, input: LogicalInput): Promise<DispatchResult> {
  const { op, path } = input;
  if (state.sealed && !SEALED_OK.has(path)) throw new VaultHttpError(503, ["Vault is sealed"]);
  const resolved = state.resolve(path);
  const relPath = resolved ? path.slice(resolved.mountPath.length) : "";
  const match = resolved ? findRoute(resolved.entry.backend.routes, relPath) : undefined;
  const unauthenticated = match?.route.unauthenticated?.includes(op) ?? false;

  let token: TokenEntry | undefined;
  if (!unauthenticated) {
    token = input.clientToken ? state.tokens.lookup(input.clientToken) : undefined;
    if (!token) throw VaultHttpError.invalidToken();
    input.onToken?.(token.accessor);
  }
  const accessor = token?.accessor;

  if (!resolved) {
    checkAcl(state, token, op, path, false);
    throw new VaultHttpError(404, [`no handler for route "${path}". route entry not found.`]);
  }
  if (!match) {
    checkAcl(state, token, op, path, false);
    throw new VaultHttpError(404, ["unsupported path"]);
  }
  const { route, params } = match;
  const req: VaultRequest = {
    op,
    path,
    mountPath: resolved.mountPath,
    params,
    fields: {},
    body: input.body,
    query: input.query,
    token,
    state,
    mount: resolved.entry,
    warnings: [],
  };
  if (token) {
    const capOp = op === "update" && route.exists && !route.exists(req) ? "create" : op;
    checkAcl(state, token, capOp, path, route.sudo?.includes(op) ?? false);
  }
  const handler = route.ops[op];
  if (!handler) throw new VaultHttpError(405, ["unsupported operation"]);
  if (route.fields) {
    const source = op === "read" || op === "list" || op === "head" ? Object.fromEntries(input.query) : input.body;
    const schema = { ...route.fields, ...Object.fromEntries(Object.keys(params).map((k) => [k, "string" as const])) };
    const coerced = coerceFields(schema, source);
    req.fields = { ...coerced.values, ...params };
    // OpenBao warns about unknown parameters on plugin paths (pki, token) but not on sys/ or kubernetes auth paths
    const warns = !QUIET_BACKENDS.has(resolved.entry.backend.type) && (op === "update" || op === "patch");
    if (warns) req.warnings.push(...unknownParamsWarning(coerced.unknown));
  } else {
    req.fields = { ...params };
  }
  const response = await handler(req);
  const withWarnings = mergeWarnings(response, req.warnings);
  return { response: withWarnings, tokenAccessor: accessor };
}

function findRoute(routes: Route[], relPath: string): { route: Route; params: Record<string, string> } | undefined {
  for (const route of routes) {
    const m = route.pattern.exec(relPath);
    if (m) {
      const params = Object.fromEntries(Object.entries(m.groups ?? {}).filter(([, v]) => v !== undefined)) as Record<
        string,
        string
      >;
      return { route, params };
    }
  }
  return undefined;
}

function checkAcl(
  state: VaultState,
  token: TokenEntry | undefined,
  op: Operation | "create",
  path: string,
  needsSudo: boolean,
): void {
  if (!token) return;
  const policies = token.policies.map((n) => state.policies.get(n)).filter((p): p is StoredPolicy => !!p);
  const aclPath = op === "list" && !path.endsWith("/") ? `${path}/` : path;
  const caps = resolveCapabilities(policies, aclPath);
  if (op === "list" && caps.size === 0) resolveCapabilities(policies, path).forEach((c) => caps.add(c));
  if (caps.has("root")) return;
  const needed = op === "head" ? "read" : op;
  if (!caps.has(needed) || (needsSudo && !caps.has("sudo"))) throw VaultHttpError.permissionDenied();
}

function mergeWarnings(response: VaultResponse | null, warnings: string[]): VaultResponse | null {
  if (warnings.length === 0) return response;
  if (response === null) return { data: null, warnings };
  return { ...response, warnings: [...warnings, ...(response.warnings ?? [])] };
}
