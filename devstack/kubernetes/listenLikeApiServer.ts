import { createPrivateKey, webcrypto } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { makeCertificate } from "../certificates/makeCertificate.js";

/** A loopback listener of a Kubernetes API stand-in. */
export interface ApiServerListener {
  url: string;
  /** The throwaway CA that signed the HTTPS certificate (only with `tls`). */
  caCertPem?: string;
  close(): Promise<void>;
}

/**
 * Listens on `host:port` (default 127.0.0.1, a free port) with plain HTTP, or with HTTPS and a throwaway CA as
 * kube-apiserver does (`tls`), and hands every request to `onRequest`.
 */
export async function listenLikeApiServer(
  onRequest: (req: IncomingMessage, res: ServerResponse) => void,
  o: { host?: string; port?: number; tls?: boolean },
): Promise<ApiServerListener> {
  const bindHost = o.host ?? "127.0.0.1";
  let caCertPem: string | undefined;
  let server;
  if (o.tls) {
    const ca = await makeCertificate({ subject: "CN=iamra-vault devstack kubernetes CA", ca: true });
    const ip = /^[\d.]+$|:/.test(bindHost);
    const leaf = await makeCertificate({
      subject: "CN=kube-apiserver",
      issuer: ca,
      ...(ip ? { ipSans: [bindHost] } : { dnsSans: [bindHost] }),
    });
    const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", leaf.keys.privateKey));
    const key = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
    caCertPem = ca.pem;
    const keyPem = key.export({ type: "pkcs8", format: "pem" });
    server = createHttpsServer({ cert: leaf.pem + ca.pem, key: keyPem }, onRequest);
  } else {
    server = createServer(onRequest);
  }
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port ?? 0, bindHost, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  return {
    url: `${o.tls ? "https" : "http"}://${host}:${addr.port}`,
    caCertPem,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
