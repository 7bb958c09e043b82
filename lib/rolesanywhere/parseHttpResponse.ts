import type { HttpAnswer } from "./sendHttpRequest.js";

/** Largest response accepted (head and body), bytes: a CreateSession answer is a few kilobytes. */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
const MAX_HEAD_BYTES = 64 * 1024;

/** Headers of which Node's HTTP client keeps only the first copy; set-cookie becomes a list; others are joined. */
const SINGLE = new Set([
  "age",
  "authorization",
  "content-length",
  "content-type",
  "etag",
  "expires",
  "from",
  "host",
  "if-modified-since",
  "if-unmodified-since",
  "last-modified",
  "location",
  "max-forwards",
  "proxy-authorization",
  "referer",
  "retry-after",
  "server",
  "user-agent",
]);

/** A response that cannot be read as HTTP/1.1; `code` in the style of Node's HTTP parser errors. */
export class HttpResponseError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * Reads one HTTP/1.1 response to a request that is not HEAD from the bytes received so far: undefined while more are
 * needed, the answer once complete. The body is framed by chunked transfer coding, Content-Length, or the end of the
 * connection (`ended`); interim 1xx responses are skipped. Throws HttpResponseError on malformed input, and with
 * code ECONNRESET ("socket hang up", as Node says) when the connection ended before the response was complete.
 */
export function parseHttpResponse(bytes: Buffer, ended: boolean): HttpAnswer | undefined {
  if (bytes.length > MAX_RESPONSE_BYTES) throw new HttpResponseError("response too large", "HPE_BODY_TOO_LARGE");
  let start = 0;
  for (;;) {
    const headEnd = bytes.indexOf("\r\n\r\n", start, "latin1");
    if (headEnd < 0) {
      if (bytes.length - start > MAX_HEAD_BYTES)
        throw new HttpResponseError("response head too large", "HPE_HEADER_OVERFLOW");
      return incomplete(ended);
    }
    const { status, headers } = parseHead(bytes.toString("latin1", start, headEnd));
    const bodyStart = headEnd + 4;
    if (status >= 100 && status < 200) {
      start = bodyStart; // 100 Continue and other interim answers carry no body
      continue;
    }
    const body = readBody(bytes.subarray(bodyStart), headers, status, ended);
    return body && { status, headers, body: body.toString("utf8") };
  }
}

function incomplete(ended: boolean): undefined {
  if (ended) throw new HttpResponseError("socket hang up", "ECONNRESET");
  return undefined;
}

function parseHead(head: string): { status: number; headers: Record<string, string | string[]> } {
  const lines = head.split("\r\n");
  const m = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(lines[0]!);
  if (!m) throw new HttpResponseError(`invalid status line: ${JSON.stringify(lines[0]!.slice(0, 80))}`, "HPE_INVALID");
  const headers: Record<string, string | string[]> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0 || /[\s]/.test(line[0]!)) {
      throw new HttpResponseError(`invalid header line: ${JSON.stringify(line.slice(0, 80))}`, "HPE_INVALID_HEADER");
    }
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const seen = headers[name];
    if (seen === undefined) headers[name] = name === "set-cookie" ? [value] : value;
    else if (Array.isArray(seen)) seen.push(value);
    else if (!SINGLE.has(name)) headers[name] = `${seen}${name === "cookie" ? "; " : ", "}${value}`;
  }
  return { status: Number(m[1]), headers };
}

function readBody(
  rest: Buffer,
  headers: Record<string, string | string[]>,
  status: number,
  ended: boolean,
): Buffer | undefined {
  if (status === 204 || status === 304) return Buffer.alloc(0);
  const te = headers["transfer-encoding"];
  if (typeof te === "string" && /(?:^|,)\s*chunked\s*$/i.test(te)) return readChunked(rest, ended);
  const cl = headers["content-length"];
  if (typeof cl === "string") {
    if (!/^\d+$/.test(cl)) throw new HttpResponseError(`invalid Content-Length ${JSON.stringify(cl)}`, "HPE_INVALID");
    const length = Number(cl);
    return rest.length >= length ? rest.subarray(0, length) : incomplete(ended);
  }
  return ended ? rest : undefined; // framed by the end of the connection
}

function readChunked(rest: Buffer, ended: boolean): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = rest.indexOf("\r\n", at, "latin1");
    if (lineEnd < 0) return incomplete(ended);
    const sizeText = rest.toString("latin1", at, lineEnd).split(";")[0]!.trim();
    if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) {
      throw new HttpResponseError(
        `invalid chunk size ${JSON.stringify(sizeText.slice(0, 20))}`,
        "HPE_INVALID_CHUNK_SIZE",
      );
    }
    const size = parseInt(sizeText, 16);
    at = lineEnd + 2;
    if (size === 0) {
      // trailer fields, if any, then the empty line
      if (rest.length >= at + 2 && rest.toString("latin1", at, at + 2) === "\r\n") return Buffer.concat(parts);
      return rest.indexOf("\r\n\r\n", at - 2, "latin1") >= 0 ? Buffer.concat(parts) : incomplete(ended);
    }
    if (rest.length < at + size + 2) return incomplete(ended);
    if (rest.toString("latin1", at + size, at + size + 2) !== "\r\n") {
      throw new HttpResponseError("chunk not followed by CRLF", "HPE_INVALID_CHUNK_SIZE");
    }
    parts.push(rest.subarray(at, at + size));
    at += size + 2;
  }
}
