/**
 * The webhook's HTTPS server: POST /mutate answers AdmissionReviews; GET /healthz, /readyz and /metrics for the kubelet
 * and Prometheus. The serving certificate is reloaded when its files change (cert-manager or a Secret update), without
 * a restart: new connections get the new certificate.
 */
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { IamraError, isIamraError } from "../lib/errors.js";
import type { Logger } from "../lib/log.js";
import { sendJson, sendJsonError } from "../lib/deliver/sendJson.js";
import { closeServerGracefully, formatHostPort, listenOrFail } from "../lib/deliver/startHttpServer.js";
import { watchFiles } from "../lib/identity/watchFiles.js";
import type { AdmissionResult } from "../lib/webhook/reviewAdmission.js";
import type { WebhookMetrics } from "../lib/webhook/webhookMetrics.js";
import { loadServingCertificate } from "./loadServingCertificate.js";

/** The API server sends at most about 3 MiB per request; anything larger is not an AdmissionReview. */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Options of startWebhookServer. */
export interface WebhookServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  certFile: string;
  keyFile: string;
  /** Decides one decoded AdmissionReview. */
  review: (body: unknown) => Promise<AdmissionResult>;
  metrics: WebhookMetrics;
  log: Logger;
  /** How often the certificate files are polled besides fs.watch, ms (default 5 s). */
  reloadPollMs?: number;
  /** Quiet time after a change before reloading, ms (default 1 s: the certificate and key are written one by one). */
  reloadDebounceMs?: number;
}

/** A running webhook server. */
export interface WebhookServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the server; throws WEBHOOK_TLS_INVALID or LISTEN_FAILED before listening when it cannot. */
export async function startWebhookServer(o: WebhookServerOptions): Promise<WebhookServer> {
  const log = o.log.child({ component: "webhook-server" });
  const initial = await loadServingCertificate(o.certFile, o.keyFile);
  o.metrics.certificateExpiry.set(initial.notAfterMs / 1000);
  let closing = false;

  const server = https.createServer({ cert: initial.cert, key: initial.key, minVersion: "TLSv1.2" }, (req, res) => {
    route(req, res).catch((err: unknown) => {
      log.error({ err, path: req.url }, "request handler failed");
      if (!res.headersSent) sendJsonError(res, 500, "INTERNAL_ERROR", "internal error");
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/mutate") return mutate(req, res);
    if (path !== "/healthz" && path !== "/readyz" && path !== "/metrics") {
      return sendJsonError(res, 404, "NOT_FOUND", "not found");
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      return sendJsonError(res, 405, "METHOD_NOT_ALLOWED", "use GET", { Allow: "GET, HEAD" });
    }
    if (path === "/healthz") return sendJson(res, 200, { status: "ok" });
    if (path === "/readyz") return sendJson(res, closing ? 503 : 200, { status: closing ? "shutting down" : "ok" });
    const text = await o.metrics.registry.metrics();
    res.writeHead(200, { "Content-Type": o.metrics.registry.contentType, "Content-Length": Buffer.byteLength(text) });
    res.end(text);
  }

  async function mutate(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "POST") return sendJsonError(res, 405, "METHOD_NOT_ALLOWED", "use POST", { Allow: "POST" });
    const end = o.metrics.duration.startTimer();
    try {
      const body = await readJson(req);
      const result = await o.review(body);
      o.metrics.countAdmission(result.outcome);
      const { uid, allowed } = result.review.response;
      if (result.outcome !== "skipped" || result.review.response.warnings) {
        log.info({ uid, allowed, outcome: result.outcome, reason: result.reason }, "admission");
      }
      sendJson(res, 200, result.review);
    } catch (err) {
      o.metrics.countAdmission("error");
      if (!isIamraError(err)) throw err;
      log.warn({ error: err.toJSON() }, "admission request refused");
      sendJsonError(res, 400, err.code, err.summary());
    } finally {
      end();
    }
  }

  const port = await listenOrFail(server, { name: "webhook", host: o.host, port: o.port, log });

  const watcher = watchFiles([o.certFile, o.keyFile], {
    pollIntervalMs: o.reloadPollMs,
    debounceMs: o.reloadDebounceMs,
    onChange: async () => {
      // throws while the pair is half-written or mismatched: the old certificate stays, the change is offered again
      const next = await loadServingCertificate(o.certFile, o.keyFile);
      server.setSecureContext({ cert: next.cert, key: next.key, minVersion: "TLSv1.2" });
      o.metrics.certificateExpiry.set(next.notAfterMs / 1000);
      o.metrics.tlsReloads.inc({ result: "success" });
      log.info(
        { serialNumber: next.serialNumber, notAfter: new Date(next.notAfterMs).toISOString() },
        "certificate reloaded",
      );
    },
    onError: (err) => {
      o.metrics.tlsReloads.inc({ result: "failure" });
      log.warn({ code: isIamraError(err) ? err.code : undefined }, "certificate files changed but are not usable yet");
    },
  });
  await watcher.ready;

  log.info({ port, serialNumber: initial.serialNumber }, "webhook listening");
  let closed: Promise<void> | undefined;
  return {
    url: `https://${formatHostPort(o.host, port)}`,
    port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        watcher.close();
        resolve(closeServerGracefully(server, 5_000));
      });
      return closed;
    },
  };
}

/** Reads a JSON body of at most MAX_BODY_BYTES; throws WEBHOOK_REVIEW_INVALID otherwise. */
async function readJson(req: IncomingMessage): Promise<unknown> {
  const invalid = (message: string, cause?: unknown) =>
    new IamraError({
      code: "WEBHOOK_REVIEW_INVALID",
      message,
      hint: "send an AdmissionReview as application/json",
      step: "admission",
      cause,
    });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw invalid(`the request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch (err) {
    throw invalid("the request body is not JSON", err);
  }
}
