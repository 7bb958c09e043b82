/**
 * The devstack's IAM Roles Anywhere stand-in: a loopback TEST DOUBLE of the CreateSession API (POST /sessions) that
 * checks
 * what AWS checks (SigV4-X509 signature, certificate chain to an enabled trust anchor, ARNs, durations, trust policy,
 * TPS quota) and issues sessions into the shared devstack session store. Not AWS; see README.md for what differs.
 */
import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import { silentLogger, type Logger } from "../../lib/log.js";
import { systemClock, type Clock } from "../../lib/time/clock.js";
import type { SessionStore } from "../aws/sessionStore.js";
import { listenLoopback } from "../listenLoopback.js";
import { readRequestBody } from "../readRequestBody.js";
import { createFaultInjector, type FaultSpec } from "./faultInjector.js";
import { handleCreateSession } from "./handleCreateSession.js";
import { createResourceRegistry, type ResourceRegistry } from "./resourceRegistry.js";
import { RolesAnywhereApiError } from "./rolesAnywhereApiError.js";
import { createTokenBucket } from "./tokenBucket.js";

/** Options of the stand-in; everything but `sessions` has a default. */
export interface RolesAnywhereStandInOptions {
  sessions: SessionStore;
  host?: string;
  port?: number;
  /** Time for X-Amz-Date checks, certificate validity and session expiry. */
  clock?: Clock;
  log?: Logger;
  /** Default us-east-1. */
  region?: string;
  /** Default: the session store's account. */
  accountId?: string;
  /** CreateSession quota in requests per second (token bucket, burst = tps). Default 10, as at AWS. */
  tps?: number;
  /** Monotonic milliseconds the quota refills by (default performance.now); tests pass a manual one. */
  quotaNowMs?: () => number;
  /** Shortest durationSeconds accepted. Default 900, as at AWS; tests lower it for short sessions. */
  minDurationSeconds?: number;
}

/** One request the stand-in answered, for tests to inspect. */
export interface RecordedRolesAnywhereRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
  errorCode?: string;
}

/** A running stand-in: its URL, setup methods, fault controls and the requests it answered. */
export interface RolesAnywhereStandIn extends Omit<ResourceRegistry, "resolve"> {
  url: string;
  region: string;
  injectFault(fault: FaultSpec): void;
  /** Delays every answer by `ms` wall-clock milliseconds (0 = off), for client timeout tests. */
  setDelay(ms: number): void;
  requests: RecordedRolesAnywhereRequest[];
  close(): Promise<void>;
}

/** Starts the Roles Anywhere stand-in on host (default 127.0.0.1) and port (default 0). */
export async function startRolesAnywhereStandIn(opts: RolesAnywhereStandInOptions): Promise<RolesAnywhereStandIn> {
  const clock = opts.clock ?? systemClock;
  const log = (opts.log ?? silentLogger()).child({ component: "rolesanywhere-standin" });
  const region = opts.region ?? "us-east-1";
  const accountId = opts.accountId ?? opts.sessions.accountId;
  const registry = createResourceRegistry({ region, accountId });
  const faults = createFaultInjector();
  const bucket = createTokenBucket(opts.tps ?? 10, opts.quotaNowMs);
  const ctx = {
    region,
    accountId,
    minDurationSeconds: opts.minDurationSeconds ?? 900,
    registry,
    sessions: opts.sessions,
    subjects: new Map<string, string>(),
  };
  const requests: RecordedRolesAnywhereRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let delayMs = 0;

  const server = await listenLoopback(
    "roles anywhere stand-in",
    async (req, res) => {
      const body = await readRequestBody(req);
      if (!body) return send(res, 413, { message: "request body too large" }, {});
      const url = req.url ?? "/";
      const q = url.indexOf("?");
      const path = q < 0 ? url : url.slice(0, q);
      const rawQuery = q < 0 ? "" : url.slice(q + 1);
      let status = 201;
      let payload: unknown;
      let errorCode: string | undefined;
      const headers: Record<string, string> = { "x-amzn-requestid": randomUUID() };
      const fault = faults.next();
      try {
        if (fault) {
          status = fault.status;
          errorCode = fault.code;
          payload = { message: fault.message };
        } else if (path !== "/sessions" || req.method !== "POST") {
          status = 404;
          errorCode = "UnknownOperationException";
          payload = { message: `No operation matches ${req.method} ${path}` };
        } else if (!bucket.tryTake()) {
          throw new RolesAnywhereApiError("ThrottlingException", "Rate exceeded");
        } else {
          const result = handleCreateSession(
            ctx,
            { method: req.method, rawQuery, rawHeaders: req.rawHeaders, body },
            clock.now(),
          );
          payload = result.body;
          log.info(
            { accessKeyId: result.accessKeyId, roleArn: result.body.credentialSet[0]!.roleArn },
            "session issued",
          );
        }
      } catch (err) {
        if (!(err instanceof RolesAnywhereApiError)) throw err;
        status = err.status;
        errorCode = err.code;
        payload = { message: err.message };
      }
      if (errorCode) headers["x-amzn-errortype"] = errorCode;
      if (status >= 400)
        log.info({ status, errorCode, message: (payload as { message?: string }).message }, "create session refused");
      requests.push({
        method: req.method ?? "",
        url,
        headers: req.headers,
        body: body.toString("utf8"),
        status,
        errorCode,
      });
      if (delayMs > 0) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => (timers.delete(t), resolve()), delayMs);
          timers.add(t);
        });
      }
      send(res, status, payload, headers);
    },
    { host: opts.host, port: opts.port, log },
  );

  return {
    url: server.url,
    region,
    addTrustAnchor: registry.addTrustAnchor,
    addProfile: registry.addProfile,
    addRole: registry.addRole,
    setProfileEnabled: registry.setProfileEnabled,
    setTrustAnchorEnabled: registry.setTrustAnchorEnabled,
    injectFault: faults.inject,
    setDelay(ms) {
      delayMs = Math.max(0, ms);
    },
    requests,
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await server.close();
    },
  };
}

function send(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string>): void {
  if (res.destroyed) return;
  const text = JSON.stringify(payload);
  res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
