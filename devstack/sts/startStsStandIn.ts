/**
 * The devstack's STS stand-in: a loopback TEST DOUBLE of the AWS STS query API (GetCallerIdentity, AssumeRole) that
 * verifies SigV4 (AWS4-HMAC-SHA256) signatures made with sessions from the devstack session store. Not AWS.
 */
import { randomUUID } from "node:crypto";
import { silentLogger, type Logger } from "../../lib/log.js";
import { systemClock, type Clock } from "../../lib/time/clock.js";
import type { SessionStore } from "../aws/sessionStore.js";
import { listenLoopback } from "../listenLoopback.js";
import { readRequestBody } from "../readRequestBody.js";
import { assumeRole, getCallerIdentity, type StsRoleRequirements } from "./stsActions.js";
import { StsError } from "./stsError.js";
import { renderError } from "./stsXml.js";
import { verifySigV4Hmac } from "./verifySigV4Hmac.js";

/** Options of the STS stand-in; only `sessions` is required. */
export interface StsStandInOptions {
  sessions: SessionStore;
  host?: string;
  port?: number;
  /** Time for the 5-minute signature window and session expiry. */
  clock?: Clock;
  log?: Logger;
  /** Informational: signatures scoped to any region are accepted, as STS's global endpoint does. */
  region?: string;
  /** Per target role ARN: what AssumeRole requires (an ExternalId). Roles not listed are assumable by any session. */
  roles?: Record<string, StsRoleRequirements>;
  /** Shortest AssumeRole DurationSeconds accepted; 900 as at AWS. */
  minDurationSeconds?: number;
}

/** One request the stand-in answered. */
export interface RecordedStsRequest {
  action: string;
  accessKeyId?: string;
  status: number;
  errorCode?: string;
}

/** A running STS stand-in. */
export interface StsStandIn {
  url: string;
  requests: RecordedStsRequest[];
  close(): Promise<void>;
}

const VERSION = "2011-06-15";

/** Starts the STS stand-in on host (default 127.0.0.1) and port (default 0). */
export async function startStsStandIn(opts: StsStandInOptions): Promise<StsStandIn> {
  const clock = opts.clock ?? systemClock;
  const log = (opts.log ?? silentLogger()).child({ component: "sts-standin" });
  const ctx = { store: opts.sessions, roles: opts.roles ?? {}, minDurationSeconds: opts.minDurationSeconds ?? 900 };
  const requests: RecordedStsRequest[] = [];

  const server = await listenLoopback(
    "sts stand-in",
    async (req, res) => {
      const body = await readRequestBody(req);
      if (!body) return void res.writeHead(413, { "content-type": "text/plain" }).end("request body too large");
      const url = req.url ?? "/";
      const q = url.indexOf("?");
      const path = q < 0 ? url : url.slice(0, q);
      const rawQuery = q < 0 ? "" : url.slice(q + 1);
      const params = new URLSearchParams(rawQuery);
      const isForm = (req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
      if (req.method === "POST" && isForm)
        for (const [k, v] of new URLSearchParams(body.toString("utf8"))) params.append(k, v);
      const action = params.get("Action") ?? "";
      const requestId = randomUUID();
      const nowMs = clock.now();
      const record: RecordedStsRequest = { action, status: 200 };
      let xml: string;
      try {
        const caller = verifySigV4Hmac(
          { method: req.method ?? "GET", path, rawQuery, rawHeaders: req.rawHeaders, body },
          { store: opts.sessions, service: "sts", nowMs },
        );
        record.accessKeyId = caller.accessKeyId;
        const version = params.get("Version");
        if (version !== null && version !== VERSION)
          throw new StsError(400, "InvalidAction", `Could not find operation ${action} for version ${version}`);
        if (action === "GetCallerIdentity") xml = getCallerIdentity(caller, requestId);
        else if (action === "AssumeRole") {
          const out = assumeRole(ctx, caller, params, requestId);
          xml = out.xml;
          log.info(
            {
              caller: caller.assumedRoleArn,
              assumed: out.session.assumedRoleArn,
              accessKeyId: out.session.accessKeyId,
            },
            "role assumed",
          );
        } else throw new StsError(400, "InvalidAction", `Could not find operation ${action} for version ${VERSION}`);
      } catch (err) {
        if (!(err instanceof StsError)) throw err;
        record.status = err.status;
        record.errorCode = err.code;
        xml = renderError(err.status, err.code, err.message, requestId);
        log.info(
          { action, status: err.status, errorCode: err.code, accessKeyId: record.accessKeyId },
          "sts request refused",
        );
      }
      requests.push(record);
      res.writeHead(record.status, {
        "content-type": "text/xml",
        "content-length": Buffer.byteLength(xml),
        "x-amzn-requestid": requestId,
        date: new Date(nowMs).toUTCString(),
      });
      res.end(xml);
    },
    { host: opts.host, port: opts.port, log },
  );
  return { url: server.url, requests, close: () => server.close() };
}
