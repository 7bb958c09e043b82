import type { Route, VaultRequest, VaultResponse } from "../http/vaultTypes.js";
import { VaultHttpError } from "../http/VaultHttpError.js";
import type { VaultState } from "../state/VaultState.js";

function rawJson(status: number, body: unknown): VaultResponse {
  return { status, raw: { contentType: "application/json", body: `${JSON.stringify(body)}\n` } };
}

/**
 * The `sys/health` body as OpenBao writes it: no performance_standby or enterprise keys; while sealed the node reports
 * standby true, replication modes "unknown" and no cluster fields.
 */
function healthBody(state: VaultState): Record<string, unknown> {
  const body: Record<string, unknown> = {
    initialized: true,
    sealed: state.sealed,
    standby: state.sealed,
    replication_performance_mode: state.sealed ? "unknown" : "disabled",
    replication_dr_mode: state.sealed ? "unknown" : "disabled",
    server_time_utc: Math.floor(state.clock.now() / 1000),
    version: state.version,
  };
  if (!state.sealed) Object.assign(body, { cluster_name: state.clusterName, cluster_id: state.clusterId });
  return body;
}

function health(req: VaultRequest): VaultResponse {
  const code = (name: string, fallback: number): number => {
    const v = req.query.get(name);
    if (v === null) return fallback;
    if (!/^-?\d+$/.test(v)) throw new HealthBadRequest();
    return Number(v);
  };
  try {
    const codes = ["standbycode", "perfstandbycode", "drsecondarycode", "performancestandbycode", "uninitcode"];
    codes.forEach((name) => code(name, 0));
    const sealed = code("sealedcode", 503);
    const active = code("activecode", 200);
    const status = req.state.sealed ? sealed : active;
    return rawJson(status, healthBody(req.state));
  } catch (err) {
    if (err instanceof HealthBadRequest) return rawJson(400, { errors: [] });
    throw err;
  }
}

class HealthBadRequest extends Error {}

/** The `sys/seal-status` body (one Shamir share in the stand-in). */
function sealStatus(state: VaultState): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: "shamir",
    initialized: true,
    sealed: state.sealed,
    t: 1,
    n: 1,
    progress: 0,
    nonce: "",
    recovery_seal: false,
    version: state.version,
    commit_date: "2024-09-26T00:00:00Z",
    migration: false,
    storage_type: "inmem",
  };
  if (!state.sealed) Object.assign(body, { cluster_name: state.clusterName, cluster_id: state.clusterId });
  return body;
}

/** sys/health, sys/seal-status, sys/seal and sys/unseal. */
export const sysSealRoutes: Route[] = [
  { pattern: /^health$/, ops: { read: health, head: health }, unauthenticated: ["read", "head"] },
  { pattern: /^seal-status$/, ops: { read: (r) => rawJson(200, sealStatus(r.state)) }, unauthenticated: ["read"] },
  {
    pattern: /^seal$/,
    sudo: ["update"],
    ops: {
      update: (r) => {
        r.state.sealed = true;
        return null;
      },
    },
  },
  {
    pattern: /^unseal$/,
    fields: { key: "string", reset: "bool", migrate: "bool" },
    unauthenticated: ["update"],
    ops: {
      update: (r) => {
        if (!r.fields["key"] && !r.fields["reset"]) {
          throw VaultHttpError.badRequest("'key' must be specified in request body as JSON, or 'reset' set to true");
        }
        if (r.fields["key"]) r.state.sealed = false;
        return rawJson(200, sealStatus(r.state));
      },
    },
  },
];
