/** Test fixture: a loopback HTTP proxy (CONNECT tunnels and absolute-URL forwarding) that records what it was asked. */
import http from "node:http";
import { connect, type AddressInfo } from "node:net";

/** One request the proxy received: the request line and its Proxy-Authorization header. */
export interface ProxiedRequest {
  line: string;
  proxyAuthorization?: string;
}

/** A running proxy. */
export interface ForwardProxy {
  url: string;
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

/** Starts the proxy; `refuseConnect` answers every CONNECT with 403, as a proxy whose rules exclude the target. */
export async function startForwardProxy(opts: { refuseConnect?: boolean } = {}): Promise<ForwardProxy> {
  const requests: ProxiedRequest[] = [];
  const tunnels = new Set<{ destroy(): void }>();
  const record = (req: http.IncomingMessage) =>
    requests.push({ line: `${req.method} ${req.url}`, proxyAuthorization: req.headers["proxy-authorization"] });
  const server = http.createServer((req, res) => {
    record(req);
    const target = new URL(req.url ?? "");
    const headers = { ...req.headers };
    delete headers["proxy-authorization"];
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on("connect", (req: http.IncomingMessage, socket, head: Buffer) => {
    record(req);
    if (opts.refuseConnect) {
      socket.end("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    const [host, port] = (req.url ?? "").split(":");
    const upstream = connect(Number(port), host, () => {
      socket.write("HTTP/1.1 200 Connection established\r\n\r\n");
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    tunnels.add(upstream).add(socket);
    const end = () => (upstream.destroy(), socket.destroy());
    upstream.on("error", end);
    socket.on("error", end);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        for (const t of tunnels) t.destroy(); // tunnels are no longer the server's connections
        server.close(() => r());
      }),
  };
}
