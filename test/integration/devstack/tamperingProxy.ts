/** A loopback HTTP proxy for tests that changes requests on their way to the server. */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Changes the request's headers in place and returns the body to forward. */
export type Tamper = (headers: Record<string, string | string[] | undefined>, body: string) => string;

/** A loopback proxy that forwards every request to `target` after `tamper` may change its headers or body. */
export async function startTamperingProxy(target: string, tamper: Tamper): Promise<Server & { url: string }> {
  const to = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers = { ...req.headers };
      const body = tamper(headers, Buffer.concat(chunks).toString("utf8"));
      delete headers["transfer-encoding"]; // the helper sends its body chunked; it is forwarded whole
      headers["content-length"] = String(Buffer.byteLength(body));
      const forward = { host: to.hostname, port: to.port, method: req.method, path: req.url, headers };
      const out = request(forward, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      out.on("error", (err) => res.writeHead(502).end(err.message));
      out.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return Object.assign(server, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}
