import http from "node:http";
import type { AddressInfo } from "node:net";
import type { DevstackInfo } from "./devstackInfo.js";

/** Mints service-account tokens for the `devstack token` command (the TokenReview stand-in holds the signing key). */
export type MintToken = (o: { namespace: string; serviceAccount: string; audiences?: string[]; ttlMs?: number }) => string;

/**
 * The devstack's admin endpoint on loopback: `GET /v1/info` (the state JSON) and `POST /v1/tokens`
 * `{namespace, serviceAccount, audiences?, ttlSeconds?}` → `{token}`. A development convenience, not part of any real API.
 */
export async function startAdminServer(opts: { host: string; port: number; info: () => DevstackInfo; mintToken: MintToken }) {
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method === "GET" && req.url === "/v1/info") return send(200, opts.info());
    if (req.method !== "POST" || req.url !== "/v1/tokens") return send(404, { error: "not found" });
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString()));
    req.on("end", () => {
      try {
        const b = JSON.parse(text || "{}") as { namespace?: string; serviceAccount?: string; audiences?: string[]; ttlSeconds?: number };
        if (!b.namespace || !b.serviceAccount) return send(400, { error: "namespace and serviceAccount are required" });
        const token = opts.mintToken({
          namespace: b.namespace,
          serviceAccount: b.serviceAccount,
          audiences: b.audiences,
          ttlMs: b.ttlSeconds ? b.ttlSeconds * 1000 : undefined,
        });
        send(200, { token });
      } catch (err) {
        send(400, { error: (err as Error).message });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host}:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
