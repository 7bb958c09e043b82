/** Starting and gracefully stopping small HTTP(S) servers (the refresher's credentials, IMDS, ops; the devstack). */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo, Server } from "node:net";
import { IamraError } from "../errors.js";
import type { Logger } from "../log.js";
import { sendJsonError } from "./sendJson.js";

/** A request handler; a throw or rejection becomes a 500 JSON answer and an error log line. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Options of startHttpServer. */
export interface StartHttpServerOptions {
  /** Short name for logs and errors, e.g. "container-endpoint". */
  name: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  handler: RequestHandler;
  log: Logger;
  /** How long close() lets in-flight requests finish before cutting connections, ms (default 5 s). */
  closeTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open between requests, ms (default 5 s). */
  keepAliveTimeoutMs?: number;
  /** Serve HTTPS with this certificate chain and private key (PEM); default plain HTTP. */
  tls?: { cert: string; key: string };
}

/** A listening server: its base URL (no trailing slash), port, and graceful close. */
export interface HttpServerHandle {
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish (bounded by closeTimeoutMs), then resolves. Idempotent. */
  close(): Promise<void>;
}

/** Formats host:port for a URL (brackets around IPv6 literals). */
export function formatHostPort(host: string, port: number): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Listens on host:port with conservative timeouts; fails with LISTEN_FAILED (e.g. port in use). */
export async function startHttpServer(opts: StartHttpServerOptions): Promise<HttpServerHandle> {
  let closing = false;
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (closing) res.shouldKeepAlive = false;
    res.on("finish", () => {
      if (closing) server.closeIdleConnections();
    });
    Promise.resolve()
      .then(() => opts.handler(req, res))
      .catch((err: unknown) => {
        opts.log.error({ err, method: req.method, path: req.url?.split("?")[0] }, "request handler failed");
        if (!res.headersSent) sendJsonError(res, 500, "INTERNAL_ERROR", "internal error");
        else res.destroy();
      });
  };
  const server = opts.tls
    ? https.createServer({ ...opts.tls, minVersion: "TLSv1.2" }, onRequest)
    : http.createServer(onRequest);
  server.headersTimeout = 5_000;
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = opts.keepAliveTimeoutMs ?? 5_000;

  const port = await listenOrFail(server, opts);
  const closeTimeoutMs = opts.closeTimeoutMs ?? 5_000;
  let closed: Promise<void> | undefined;
  return {
    url: `${opts.tls ? "https" : "http"}://${formatHostPort(opts.host, port)}`,
    port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        resolve(closeServerGracefully(server, closeTimeoutMs));
      });
      return closed;
    },
  };
}

/**
 * Listens on host:port and resolves with the port (the free one picked for port 0); fails with LISTEN_FAILED naming
 * the server (e.g. port in use). Errors after that are logged.
 */
export async function listenOrFail(
  server: Server,
  o: { name: string; host: string; port: number; log: Logger },
): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (cause: NodeJS.ErrnoException) => {
      reject(
        new IamraError({
          code: "LISTEN_FAILED",
          message: `${o.name} cannot listen on ${formatHostPort(o.host, o.port)} (${cause.code ?? cause.message})`,
          hint:
            cause.code === "EADDRINUSE"
              ? "choose another port or stop the process using it"
              : "check the host and port settings",
          step: "serve",
          details: { host: o.host, port: o.port, errno: cause.code },
          cause,
        }),
      );
    };
    server.once("error", onError);
    server.listen(o.port, o.host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  server.on("error", (err) => o.log.error({ err }, "server error"));
  return (server.address() as AddressInfo).port;
}

/**
 * Stops accepting connections, closes idle ones at once and lets in-flight requests finish for at most `timeoutMs`
 * before cutting the remaining connections. Resolves when the server is closed.
 */
export function closeServerGracefully(server: http.Server | https.Server, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
