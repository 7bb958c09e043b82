/** A small HTTP server for the devstack's AWS stand-ins: listens, buffers request bodies, closes cleanly. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request handler that receives the whole body as bytes. */
export type BufferedHandler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => Promise<void>;

/** A started server: its base URL (no trailing slash) and close(), which also drops idle and active connections. */
export interface LoopbackServer {
  url: string;
  close(): Promise<void>;
}

/** Largest request body accepted (bytes); larger requests get 413. */
const MAX_BODY = 1024 * 1024;

/** Starts an HTTP server on host (default 127.0.0.1) and port (default 0 = any free port). */
export async function startLoopbackServer(
  handler: BufferedHandler,
  opts: { host?: string; port?: number; onError: (err: unknown) => void },
): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on("end", () => {
      if (size > MAX_BODY) {
        res.writeHead(413, { "content-type": "text/plain" }).end("request body too large");
        return;
      }
      handler(req, Buffer.concat(chunks), res).catch((err: unknown) => {
        opts.onError(err);
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end("internal error in stand-in");
      });
    });
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
