import { Agent as HttpAgent, request as httpRequest, type ClientRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

/** The identity a successful TokenReview returns. */
export interface ReviewedIdentity {
  name: string;
  namespace: string;
  uid: string;
}

/** How to reach the Kubernetes API: host, CA and the bearer token for the TokenReview call. */
export interface TokenReviewTarget {
  host: string;
  caCert?: string;
  bearer: string;
  timeoutMs?: number;
}

/**
 * POSTs a TokenReview to `<host>/apis/authentication.k8s.io/v1/tokenreviews`, as vault-plugin-auth-kubernetes'
 * token_review.go does, and returns the reviewed service account; throws Error with the plugin's "lookup failed" text.
 */
export async function callTokenReview(
  target: TokenReviewTarget,
  jwt: string,
  audiences: string[],
): Promise<ReviewedIdentity> {
  const body = JSON.stringify({
    kind: "TokenReview",
    apiVersion: "authentication.k8s.io/v1",
    metadata: { creationTimestamp: null },
    spec: { token: jwt, audiences },
    status: { user: {} },
  });
  const url = new URL("/apis/authentication.k8s.io/v1/tokenreviews", target.host.replace(/\/+$/, "") + "/");
  const send = () => postOnce(url, body, target);
  // a kept-alive connection that the API server closed just before this request: sent again once on a new one
  const { status, text } = await send().catch((err: NodeJS.ErrnoException & { reusedSocket?: boolean }) => {
    if (err.reusedSocket && (err.code === "ECONNRESET" || err.code === "EPIPE")) return send();
    throw err;
  });
  if (status === 401) {
    throw new Error(
      "lookup failed: service account unauthorized; this could mean it has been deleted or recreated with a new token",
    );
  }
  if (status < 200 || status > 202) throw new Error(`lookup failed: TokenReview answered HTTP ${status}`);
  const review = JSON.parse(text) as {
    status?: { authenticated?: boolean; error?: string; user?: { username?: string; uid?: string } };
  };
  if (review.status?.error) throw new Error(`lookup failed: ${review.status.error}`);
  if (!review.status?.authenticated) throw new Error("lookup failed: service account jwt not valid");
  const parts = (review.status.user?.username ?? "").split(":");
  if (parts.length !== 4) throw new Error("lookup failed: unexpected username format");
  if (parts[0] !== "system" || parts[1] !== "serviceaccount")
    throw new Error("lookup failed: username returned is not a service account");
  return { namespace: parts[2]!, name: parts[3]!, uid: review.status.user?.uid ?? "" };
}

/**
 * Connections to the API server stay open between reviews, one pool per protocol and CA (Vault's kubernetes auth
 * keeps its HTTP client, and so its connections, between logins); idle sockets do not keep the process alive.
 */
const agents = new Map<string, HttpAgent>();

function agentFor(url: URL, caCert: string | undefined): HttpAgent {
  const key = `${url.protocol}${caCert ?? ""}`;
  let agent = agents.get(key);
  if (!agent) {
    const opts = { keepAlive: true, ca: caCert };
    agent = url.protocol === "https:" ? new HttpsAgent(opts) : new HttpAgent(opts);
    agents.set(key, agent);
  }
  return agent;
}

function postOnce(url: URL, body: string, target: TokenReviewTarget): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const req: ClientRequest = send(
      url,
      {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          Authorization: `Bearer ${target.bearer}`,
          "Content-Length": Buffer.byteLength(body),
        },
        agent: agentFor(url, target.caCert || undefined),
        timeout: target.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("TokenReview request timed out")));
    req.on("error", (err) => reject(Object.assign(err, { reusedSocket: req.reusedSocket })));
    req.end(body);
  });
}
