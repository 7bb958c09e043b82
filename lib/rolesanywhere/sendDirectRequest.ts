import { connect, isIP, type Socket } from "node:net";
import { caSecureContext } from "../net/caSecureContext.js";
import { lazyBuiltin } from "../net/lazyBuiltin.js";
import { MAX_RESPONSE_BYTES, parseHttpResponse } from "./parseHttpResponse.js";
import type { HttpAnswer } from "./sendHttpRequest.js";

/** node:tls, loaded for https:// targets only. */
const tlsModule = lazyBuiltin<typeof import("node:tls")>("node:tls");

/** One request: method, headers (names as they are sent) and a UTF-8 body. */
export interface DirectRequestInit {
  method: string;
  headers: Record<string, string>;
  body: string;
}

/** TLS settings of an https:// target. */
export interface DirectTlsOptions {
  caPem?: string;
  rejectUnauthorized?: boolean;
}

/**
 * Sends one HTTP/1.1 request on a new connection of its own (node:net, or node:tls for https://) and reads the whole
 * answer; the connection is closed afterwards (`Connection: close`). Used for direct calls that keep no connection:
 * it does without node:http, whose modules take a one-shot command (credential-process) several milliseconds to load.
 * Resolves with the answer; rejects with the socket's error, or an HttpResponseError for a response that is not
 * HTTP/1.1 or ends early. `cancel` destroys the connection (for timeouts and stops, decided by the caller).
 */
export function sendDirectRequest(
  url: URL,
  init: DirectRequestInit,
  tls: DirectTlsOptions,
): { answer: Promise<HttpAnswer>; cancel: () => void } {
  const secure = url.protocol === "https:";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port) || (secure ? 443 : 80);
  const head = requestHead(url, init);
  let socket: Socket | undefined;
  const answer = new Promise<HttpAnswer>((resolve, reject) => {
    socket = secure
      ? tlsModule().connect({
          host,
          port,
          servername: isIP(host) ? undefined : host,
          // a context of the bundle's, made once per process (it holds minVersion too); else Node's default roots
          secureContext: tls.caPem ? caSecureContext(tls.caPem) : undefined,
          rejectUnauthorized: tls.rejectUnauthorized ?? true,
          minVersion: "TLSv1.2",
        })
      : connect({ host, port, noDelay: true });
    const s = socket;
    const chunks: Buffer[] = [];
    let received = 0;
    // parsed again only once enough bytes arrived to complete what the last parse lacked: a large body in small
    // pieces is not joined and scanned again for every piece
    const progress = { needBytes: 0 };
    let done = false;
    const settle = (ended: boolean) => {
      if (done || (!ended && received < progress.needBytes && received <= MAX_RESPONSE_BYTES)) return;
      try {
        if (chunks.length > 1) chunks.splice(0, chunks.length, Buffer.concat(chunks));
        const result = parseHttpResponse(chunks[0] ?? Buffer.alloc(0), ended, progress);
        if (!result) return;
        done = true;
        s.destroy();
        resolve(result);
      } catch (err) {
        done = true;
        s.destroy();
        reject(err);
      }
    };
    s.on("data", (c: Buffer) => {
      chunks.push(c);
      received += c.length;
      settle(false);
    });
    s.on("end", () => settle(true));
    s.on("close", () => settle(true));
    s.on("error", (err) => {
      if (done) return;
      done = true;
      s.destroy();
      reject(err);
    });
    // written at once, without ending our side: some servers take a half-closed connection for a client gone away
    s.write(Buffer.concat([Buffer.from(head, "latin1"), Buffer.from(init.body, "utf8")]));
  });
  return { answer, cancel: () => socket?.destroy() };
}

/** Request line and headers; a Host header from the URL when none is given, as Node's client adds one. */
function requestHead(url: URL, init: DirectRequestInit): string {
  const lines = [`${init.method} ${url.pathname || "/"}${url.search} HTTP/1.1`];
  const headers: Record<string, string> = { ...init.headers };
  if (!Object.keys(headers).some((k) => k.toLowerCase() === "host")) headers.host = url.host;
  headers["content-length"] = String(Buffer.byteLength(init.body));
  headers.connection = "close";
  for (const [name, value] of Object.entries(headers)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || /[\r\n\0]/.test(value)) {
      throw new TypeError(`invalid HTTP header ${JSON.stringify(name)}`); // a bug: the signer builds the headers
    }
    lines.push(`${name}: ${value}`);
  }
  return `${lines.join("\r\n")}\r\n\r\n`;
}
