/** The refresher's operations server: /healthz, /readyz and /metrics, on a port of its own. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../log.js";
import type { Metrics } from "./metrics.js";
import { sendJson, sendJsonError } from "./sendJson.js";
import { startHttpServer } from "./startHttpServer.js";

/** A probe's answer: a boolean, or a boolean with a reason shown in the JSON body. */
export type ProbeResult = boolean | { ok: boolean; reason?: string };

/** Options of startOpsServer. */
export interface OpsServerOptions {
  /**
   * Default 127.0.0.1. Kubernetes httpGet probes and Prometheus connect to the pod IP, so a pod that uses them sets
   * 0.0.0.0 here (nothing secret is served); exec probes work with the default.
   */
  host?: string;
  /** 0 picks a free port (the refresher's default is its --ops-port setting's). */
  port: number;
  /** Liveness: the refresh loop is alive (not stuck). */
  isAlive: () => ProbeResult;
  /** Readiness: valid credentials with more than the minimum validity are held. */
  isReady: () => ProbeResult;
  metrics: Metrics;
  log: Logger;
  closeTimeoutMs?: number;
}

/** A running ops server. */
export interface OpsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function evaluate(probe: () => ProbeResult): { ok: boolean; reason?: string } {
  try {
    const r = probe();
    return typeof r === "boolean" ? { ok: r } : { ok: r.ok === true, reason: r.reason };
  } catch (err) {
    return { ok: false, reason: `probe failed: ${(err as Error).message}` };
  }
}

/**
 * Starts the ops server: GET /healthz and /readyz answer 200 or 503 with JSON; GET /metrics answers Prometheus text.
 */
export async function startOpsServer(opts: OpsServerOptions): Promise<OpsServer> {
  const log = opts.log.child({ component: "ops-server" });

  const probe = (res: ServerResponse, fn: () => ProbeResult, failing: string): void => {
    const { ok, reason } = evaluate(fn);
    sendJson(res, ok ? 200 : 503, { status: ok ? "ok" : failing, ...(reason ? { reason } : {}) });
  };

  const route = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    if (path !== "/healthz" && path !== "/readyz" && path !== "/metrics")
      return sendJsonError(res, 404, "NOT_FOUND", "not found");
    if (req.method !== "GET" && req.method !== "HEAD") {
      return sendJsonError(res, 405, "METHOD_NOT_ALLOWED", "use GET", { Allow: "GET, HEAD" });
    }
    if (path === "/healthz") return probe(res, opts.isAlive, "unhealthy");
    if (path === "/readyz") return probe(res, opts.isReady, "not ready");
    const text = await opts.metrics.registry.metrics();
    res.writeHead(200, {
      "Content-Type": opts.metrics.registry.contentType,
      "Content-Length": Buffer.byteLength(text),
    });
    res.end(text);
  };

  const server = await startHttpServer({
    name: "ops server",
    host: opts.host ?? "127.0.0.1",
    port: opts.port,
    log,
    closeTimeoutMs: opts.closeTimeoutMs,
    handler: async (req, res) => {
      const path = (req.url ?? "/").split("?")[0];
      await route(req, res, path);
      opts.metrics.countRequest("ops", res.statusCode);
      if (res.statusCode >= 400) log.debug({ method: req.method, path, status: res.statusCode }, "request");
    },
  });
  log.info({ url: server.url }, "ops server listening");
  return { url: server.url, port: server.port, close: server.close };
}
