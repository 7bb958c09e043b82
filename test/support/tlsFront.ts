/** Test fixture: an HTTPS server on loopback with a throwaway CA that forwards every request to an http:// origin. */
import { createPrivateKey, webcrypto } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { makeCertificate } from "../../devstack/certificates/makeCertificate.js";

/** A running TLS front: its https URL, the CA to trust, how many connections and requests it has seen. */
export interface TlsFront {
  url: string;
  caPem: string;
  connections: number;
  requests: number;
  close(): Promise<void>;
}

/** Starts an HTTPS front for `origin`; the Host header is passed on unchanged, so signatures over it still verify. */
export async function startTlsFront(origin: string): Promise<TlsFront> {
  const ca = await makeCertificate({ subject: "CN=Proxy Test CA", ca: true });
  const leaf = await makeCertificate({ subject: "CN=127.0.0.1", issuer: ca, ipSans: ["127.0.0.1"] });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", leaf.keys.privateKey));
  const key = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" }).export({ type: "pkcs8", format: "pem" });
  const target = new URL(origin);
  const server = https.createServer({ cert: leaf.pem, key }, (req, res) => {
    front.requests++;
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on("connection", () => front.connections++);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const front: TlsFront = {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caPem: ca.pem,
    connections: 0,
    requests: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return front;
}
