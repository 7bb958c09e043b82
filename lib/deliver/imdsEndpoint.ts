/**
 * IMDSv2 emulation for tools that only know EC2 instance metadata (AWS_EC2_METADATA_SERVICE_ENDPOINT), like the
 * official
 * helper's `serve`, with its bugs fixed (facts §5, §14.6-7): bounded token store that really evicts, 404 for unknown
 * role
 * names, application/json, and 503 instead of 200 with empty credentials.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ConfigError } from "../errors.js";
import type { Logger } from "../log.js";
import type { Clock } from "../time/clock.js";
import { assertLoopbackHost } from "./assertLoopbackHost.js";
import type { CredentialStore } from "./credentialStore.js";
import { createImdsTokenStore, IMDS_MAX_TOKEN_TTL_SECONDS } from "./imdsTokenStore.js";
import type { Metrics } from "./metrics.js";
import { sendJson, sendJsonError } from "./sendJson.js";
import { startHttpServer } from "./startHttpServer.js";

const TOKEN_PATH = "/latest/api/token";
const CREDS_PATH = "/latest/meta-data/iam/security-credentials";
const TTL_HEADER = "x-aws-ec2-metadata-token-ttl-seconds";
const TOKEN_HEADER = "x-aws-ec2-metadata-token";

/** Options of startImdsEndpoint. */
export interface ImdsEndpointOptions {
  store: CredentialStore;
  /** Loopback IP literal (default 127.0.0.1). */
  host?: string;
  /** 0 picks a free port (the refresher's default is its --imds-port setting's). */
  port: number;
  /** The role name listed under security-credentials/ (e.g. the last segment of the role ARN). */
  roleName: string;
  log: Logger;
  clock: Clock;
  /** Bound on live session tokens (default 1000). */
  maxTokens?: number;
  metrics?: Metrics;
  closeTimeoutMs?: number;
}

/** A running IMDS emulation: `url` is the value for AWS_EC2_METADATA_SERVICE_ENDPOINT (no trailing slash). */
export interface ImdsEndpoint {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** IMDS timestamps have whole seconds: 2026-11-22T17:13:39Z. */
const imdsTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": "text/plain", "Content-Length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined; // malformed percent-encoding: answered as an unknown path (404)
  }
}

/** Starts the IMDSv2 emulation on loopback. */
export async function startImdsEndpoint(opts: ImdsEndpointOptions): Promise<ImdsEndpoint> {
  const host = opts.host ?? "127.0.0.1";
  assertLoopbackHost(host, "IMDS endpoint host");
  const roleName = opts.roleName;
  if (typeof roleName !== "string" || !/^[\w+=,.@-]{1,64}$/.test(roleName)) {
    throw new ConfigError({
      code: "IMDS_ROLE_NAME_INVALID",
      message: `IMDS role name "${String(roleName)}" is not an IAM role name (1-64 of letters, digits and +=,.@_-)`,
      hint: "use the last segment of the role ARN",
    });
  }
  const log = opts.log.child({ component: "imds-endpoint" });
  const tokens = createImdsTokenStore({
    clock: opts.clock,
    maxTokens: opts.maxTokens,
    onEvict: (reason) => log.debug({ reason }, "imds token evicted"),
  });

  const putToken = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== "PUT") return sendJsonError(res, 405, "METHOD_NOT_ALLOWED", "use PUT", { Allow: "PUT" });
    if (req.headers["x-forwarded-for"] !== undefined) {
      return sendJsonError(res, 400, "FORWARDED_REQUEST", "unable to process requests with X-Forwarded-For header");
    }
    const raw = req.headers[TTL_HEADER];
    const ttlText = raw === undefined ? String(IMDS_MAX_TOKEN_TTL_SECONDS) : Array.isArray(raw) ? "" : raw.trim();
    const ttl = /^\d{1,5}$/.test(ttlText) ? Number(ttlText) : NaN;
    if (!(ttl >= 1 && ttl <= IMDS_MAX_TOKEN_TTL_SECONDS)) {
      return sendJsonError(
        res,
        400,
        "INVALID_TOKEN_TTL",
        `invalid token TTL: must be 1..${IMDS_MAX_TOKEN_TTL_SECONDS} seconds`,
      );
    }
    sendText(res, 200, tokens.issue(ttl), { "X-Aws-Ec2-Metadata-Token-Ttl-Seconds": String(ttl) });
  };

  /** Seconds left on the request's session token, or undefined after answering 401. */
  const checkToken = (req: IncomingMessage, res: ServerResponse): number | undefined => {
    const token = req.headers[TOKEN_HEADER];
    if (typeof token !== "string" || token === "") {
      sendJsonError(res, 401, "NO_TOKEN", "no token provided: PUT /latest/api/token first (IMDSv2)");
      return undefined;
    }
    const left = tokens.remainingSeconds(token);
    if (left === undefined) sendJsonError(res, 401, "INVALID_TOKEN", "invalid or expired token provided");
    return left;
  };

  const getCredentials = (req: IncomingMessage, res: ServerResponse, name: string | undefined): void => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      return sendJsonError(res, 405, "METHOD_NOT_ALLOWED", "use GET", { Allow: "GET" });
    }
    const left = checkToken(req, res);
    if (left === undefined) return;
    const ttlHeader = { "X-Aws-Ec2-Metadata-Token-Ttl-Seconds": String(left) };
    if (name === undefined) return sendText(res, 200, roleName, ttlHeader);
    if (name !== roleName) return sendJsonError(res, 404, "NOT_FOUND", "no such role", ttlHeader);
    const creds = opts.store.current();
    if (!creds) {
      return sendJsonError(
        res,
        503,
        "CREDENTIALS_UNAVAILABLE",
        "no valid credentials yet or they expired; retry shortly",
        {
          ...ttlHeader,
          "Retry-After": "1",
        },
      );
    }
    sendJson(
      res,
      200,
      {
        Code: "Success",
        LastUpdated: imdsTime(opts.store.lastUpdatedMs() ?? opts.clock.now()),
        Type: "AWS-HMAC",
        AccessKeyId: creds.accessKeyId,
        SecretAccessKey: creds.secretAccessKey,
        Token: creds.sessionToken,
        Expiration: creds.expiration,
      },
      ttlHeader,
    );
  };

  const route = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    if (path === TOKEN_PATH || path === `${TOKEN_PATH}/`) return putToken(req, res);
    if (path === CREDS_PATH || path === `${CREDS_PATH}/`) return getCredentials(req, res, undefined);
    const m = path.startsWith(`${CREDS_PATH}/`) ? /^([^/]+)\/?$/.exec(path.slice(CREDS_PATH.length + 1)) : null;
    const name = m ? safeDecode(m[1]) : undefined;
    if (name !== undefined) return getCredentials(req, res, name);
    sendJsonError(res, 404, "NOT_FOUND", "not found");
  };

  const server = await startHttpServer({
    name: "IMDS endpoint",
    host,
    port: opts.port,
    log,
    closeTimeoutMs: opts.closeTimeoutMs,
    handler: (req, res) => {
      const path = (req.url ?? "/").split("?")[0];
      route(req, res, path);
      opts.metrics?.countRequest("imds", res.statusCode);
      log.debug(
        { method: req.method, path: path.startsWith(CREDS_PATH) ? CREDS_PATH : path, status: res.statusCode },
        "request",
      );
    },
  });
  log.info({ url: server.url, roleName }, "imds endpoint listening");
  return { url: server.url, port: server.port, close: server.close };
}
