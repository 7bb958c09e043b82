import { startHttpServer, type HttpServerHandle, type RequestHandler } from "../lib/deliver/startHttpServer.js";
import { silentLogger, type Logger } from "../lib/log.js";

/** Where and how a stand-in listens; host defaults to 127.0.0.1 and port to 0 (a free port). */
export interface ListenOptions {
  host?: string;
  port?: number;
  log?: Logger;
  /** Serve HTTPS with this certificate chain and key (PEM). */
  tls?: { cert: string; key: string };
}

/** How long close() lets in-flight answers finish: stand-ins may hold requests on purpose (delays, hangs). */
const CLOSE_TIMEOUT_MS = 250;

/**
 * Starts a stand-in's HTTP(S) server with the product's startHttpServer (LISTEN_FAILED naming the address when the
 * port is in use; a thrown handler error answers 500 and is logged).
 */
export function listenLoopback(
  name: string,
  handler: RequestHandler,
  o: ListenOptions = {},
): Promise<HttpServerHandle> {
  return startHttpServer({
    name,
    host: o.host ?? "127.0.0.1",
    port: o.port ?? 0,
    handler,
    log: o.log ?? silentLogger(),
    closeTimeoutMs: CLOSE_TIMEOUT_MS,
    ...(o.tls ? { tls: o.tls } : {}),
  });
}
