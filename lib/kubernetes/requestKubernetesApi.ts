/** One HTTPS call to the Kubernetes API with a bearer token, a CA bundle and a timeout (no client library needed). */
import { httpsModule } from "../net/httpsModule.js";

/** A request to the Kubernetes API server. */
export interface KubernetesRequest {
  /** https://<host>:<port> of the API server. */
  apiUrl: string;
  method: "GET" | "POST" | "PATCH";
  /** Absolute API path, e.g. /apis/events.k8s.io/v1/namespaces/<ns>/events. */
  path: string;
  token: string;
  /** PEM CA bundle that signed the API server's certificate. */
  caPem?: string;
  /** JSON body (POST, PATCH). */
  body?: unknown;
  /** Content-Type of the body; default application/json (PATCH needs a patch type). */
  contentType?: string;
  /** Whole-call timeout, ms: connect, send and read the answer. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The API server's answer: status and raw body. */
export interface KubernetesResponse {
  status: number;
  body: string;
}

/**
 * Sends the request; resolves with any HTTP status, rejects with the socket or TLS error (`code` kept, e.g.
 * ECONNREFUSED, UNABLE_TO_VERIFY_LEAF_SIGNATURE) or an Error naming the timeout. Callers wrap it in their typed error.
 */
export function requestKubernetesApi(r: KubernetesRequest): Promise<KubernetesResponse> {
  const payload = r.body === undefined ? undefined : Buffer.from(JSON.stringify(r.body), "utf8");
  return new Promise<KubernetesResponse>((resolve, reject) => {
    const headers: Record<string, string | number> = {
      Authorization: `Bearer ${r.token.trim()}`,
      Accept: "application/json",
    };
    if (payload) {
      headers["Content-Type"] = r.contentType ?? "application/json";
      headers["Content-Length"] = payload.length;
    }
    const req = httpsModule().request(new URL(r.path, r.apiUrl), {
      method: r.method,
      ca: r.caPem,
      headers,
      signal: r.signal,
    });
    // one deadline for the whole exchange: a server that accepts and then stalls must not hold the caller
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${r.timeoutMs} ms`)), r.timeoutMs);
    timer.unref();
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
      });
      res.on("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    req.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end(payload);
  });
}
