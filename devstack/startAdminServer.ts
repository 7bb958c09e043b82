import type { DevstackInfo } from "./devstackInfo.js";
import { listenLoopback } from "./listenLoopback.js";
import { readRequestBody } from "./readRequestBody.js";
import { sendJson } from "../lib/deliver/sendJson.js";

/** Mints service-account tokens for the `devstack token` command (the TokenReview stand-in holds the signing key). */
export type MintToken = (o: {
  namespace: string;
  serviceAccount: string;
  audiences?: string[];
  ttlMs?: number;
}) => string;

interface TokenRequest {
  namespace?: string;
  serviceAccount?: string;
  audiences?: string[];
  ttlSeconds?: number;
}

/**
 * The devstack's admin endpoint on loopback: `GET /v1/info` (the state JSON) and `POST /v1/tokens`
 * `{namespace, serviceAccount, audiences?, ttlSeconds?}` → `{token}`. A development convenience, not part of any real
 * API.
 */
export async function startAdminServer(opts: {
  host: string;
  port: number;
  info: () => DevstackInfo;
  mintToken: MintToken;
}) {
  return await listenLoopback(
    "devstack admin server",
    async (req, res) => {
      if (req.method === "GET" && req.url === "/v1/info") return sendJson(res, 200, opts.info());
      if (req.method !== "POST" || req.url !== "/v1/tokens") return sendJson(res, 404, { error: "not found" });
      let b: TokenRequest;
      try {
        b = JSON.parse((await readRequestBody(req))?.toString("utf8") || "{}") as TokenRequest;
      } catch (err) {
        return sendJson(res, 400, { error: (err as Error).message });
      }
      if (!b.namespace || !b.serviceAccount) {
        return sendJson(res, 400, { error: "namespace and serviceAccount are required" });
      }
      const ttlMs = b.ttlSeconds ? b.ttlSeconds * 1000 : undefined;
      const { namespace, serviceAccount, audiences } = b;
      const token = opts.mintToken({ namespace, serviceAccount, audiences, ttlMs });
      sendJson(res, 200, { token });
    },
    { host: opts.host, port: opts.port },
  );
}
