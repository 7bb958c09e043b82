import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";

/** One request as the scripted server received it. */
export interface Received {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  body: unknown;
}

/** A scripted answer: status + JSON body or a raw text body, extra headers, or "hang" (accept, read, never answer). */
export type Reply = { status: number; body?: unknown; text?: string; headers?: Record<string, string> } | "hang";

/** A loopback server on 127.0.0.1:0 that plays Vault with a queue of scripted replies and records every request. */
export interface ScriptedVault {
  url: string;
  received: Received[];
  /** Appends replies to the queue; each request takes the next one (an empty queue answers 500). */
  reply(...replies: Reply[]): void;
  close(): Promise<void>;
}

/** Starts the scripted Vault (HTTPS when `tls` is given). */
export async function startScriptedVault(tls?: { key: string; cert: string }): Promise<ScriptedVault> {
  const queue: Reply[] = [];
  const received: Received[] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = rawBody ? JSON.parse(rawBody) : undefined;
      } catch {
        body = rawBody; // not JSON: keep the text for assertions
      }
      const url = new URL(req.url ?? "/", "http://x");
      received.push({
        method: req.method ?? "",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        rawBody,
        body,
      });
      const next = queue.shift() ?? { status: 500, body: { errors: ["no scripted reply"] } };
      if (next === "hang") return;
      const extra = next.headers ?? {};
      if (next.text !== undefined) {
        res.writeHead(next.status, { "content-type": "text/plain", ...extra }).end(next.text);
      } else if (next.body === undefined) {
        res.writeHead(next.status, extra).end();
      } else {
        res
          .writeHead(next.status, { "content-type": "application/json", ...extra })
          .end(JSON.stringify(next.body) + "\n");
      }
    });
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    received,
    reply: (...replies) => queue.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** An unsigned JWT-shaped string with the given claims (Vault stand-ins only parse it here). */
export function fakeJwt(claims: Record<string, unknown>): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  return `${b64({ alg: "RS256", kid: "test" })}.${b64(claims)}.c2lnbmF0dXJl`;
}
