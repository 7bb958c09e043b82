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

/** Where an incomplete response stands: how many bytes in all it needs at least before it can be complete. */
export interface ResponseProgress {
  needBytes: number;
}

/**
 * Reads one HTTP/1.1 response to a request that is not HEAD from the bytes received so far: undefined while more are
 * needed (then `progress.needBytes` says how many bytes in all it needs at least, so that a caller receiving a large
 * body in small pieces need not parse again before), the answer once complete. The body is framed by chunked
 * transfer coding, Content-Length, or the end of the connection (`ended`); interim 100 and 102-199 answers are
 * skipped. Framing that Node's HTTP parser refuses is refused too: Transfer-Encoding with Content-Length, differing
 * Content-Length values, a 101 to a request that asked for no upgrade. Throws HttpResponseError on malformed input,
 * and with code ECONNRESET ("socket hang up", as Node says) when the connection ended before the response was
 * complete.
 */
export function parseHttpResponse(
  bytes: Buffer,
  ended: boolean,
  progress: ResponseProgress = { needBytes: 0 },
): HttpAnswer | undefined {
  if (bytes.length > MAX_RESPONSE_BYTES) throw new HttpResponseError("response too large", "HPE_BODY_TOO_LARGE");
  let start = 0;
  for (;;) {
    const headEnd = bytes.indexOf("\r\n\r\n", start, "latin1");
    if (headEnd < 0 ? bytes.length - start > MAX_HEAD_BYTES : headEnd - start > MAX_HEAD_BYTES) {
      throw new HttpResponseError("response head too large", "HPE_HEADER_OVERFLOW");
    }
    if (headEnd < 0) return incomplete(ended, progress, bytes.length + 1);
    const { status, headers } = parseHead(bytes.toString("latin1", start, headEnd));
    const bodyStart = headEnd + 4;
    if (status === 101) throw new HttpResponseError("unexpected 101 Switching Protocols", "HPE_INVALID");
    if (status >= 100 && status < 200) {
      start = bodyStart; // 100 Continue and other interim answers carry no body
      continue;
    }
    const body = readBody(bytes.subarray(bodyStart), headers, status, ended);
    if (typeof body === "number") return incomplete(ended, progress, bodyStart + body);
    return { status, headers, body: body.toString("utf8") };
  }
}

function incomplete(ended: boolean, progress: ResponseProgress, needBytes: number): undefined {
  if (ended) throw new HttpResponseError("socket hang up", "ECONNRESET");
  progress.needBytes = needBytes;
  return undefined;
}

/** A header field name (RFC 9110 token): no whitespace before the colon. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function parseHead(head: string): { status: number; headers: Record<string, string | string[]> } {
  const lines = head.split("\r\n");
  const m = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(lines[0]!);
  if (!m) throw new HttpResponseError(`invalid status line: ${JSON.stringify(lines[0]!.slice(0, 80))}`, "HPE_INVALID");
  const headers: Record<string, string | string[]> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0 || !TOKEN.test(line.slice(0, colon))) {
      throw new HttpResponseError(`invalid header line: ${JSON.stringify(line.slice(0, 80))}`, "HPE_INVALID_HEADER");
    }
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    const seen = headers[name];
    if (name === "content-length" && seen !== undefined && seen !== value) {
      throw new HttpResponseError("differing Content-Length headers", "HPE_UNEXPECTED_CONTENT_LENGTH");
    }
    if (seen === undefined) headers[name] = name === "set-cookie" ? [value] : value;
    else if (Array.isArray(seen)) seen.push(value);
    else if (!SINGLE.has(name)) headers[name] = `${seen}${name === "cookie" ? "; " : ", "}${value}`;
  }
  return { status: Number(m[1]), headers };
}

/** The body, or the number of bytes after the head it needs at least before it can be complete. */
function readBody(
  rest: Buffer,
  headers: Record<string, string | string[]>,
  status: number,
  ended: boolean,
): Buffer | number {
  if (status === 204 || status === 304) return Buffer.alloc(0);
  const te = headers["transfer-encoding"];
  const cl = headers["content-length"];
  if (te !== undefined && cl !== undefined) {
    throw new HttpResponseError("Transfer-Encoding together with Content-Length", "HPE_INVALID_CONTENT_LENGTH");
  }
  if (typeof te === "string" && /(?:^|,)\s*chunked\s*$/i.test(te)) return readChunked(rest, ended);
  if (typeof cl === "string") {
    if (!/^\d+$/.test(cl)) throw new HttpResponseError(`invalid Content-Length ${JSON.stringify(cl)}`, "HPE_INVALID");
    const length = Number(cl);
    if (length > MAX_RESPONSE_BYTES) throw new HttpResponseError("response too large", "HPE_BODY_TOO_LARGE");
    if (rest.length >= length) return rest.subarray(0, length);
    if (ended) throw new HttpResponseError("socket hang up", "ECONNRESET");
    return length;
  }
  // no Content-Length, or a transfer coding that does not end in chunked: framed by the end of the connection
  return ended ? rest : rest.length + 1;
}

function readChunked(rest: Buffer, ended: boolean): Buffer | number {
  const incomplete = (needBytes: number) => {
    if (ended) throw new HttpResponseError("socket hang up", "ECONNRESET");
    return needBytes;
  };
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = rest.indexOf("\r\n", at, "latin1");
    if (lineEnd < 0) return incomplete(rest.length + 1);
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
      return rest.indexOf("\r\n\r\n", at - 2, "latin1") >= 0 ? Buffer.concat(parts) : incomplete(rest.length + 1);
    }
    if (rest.length < at + size + 2) return incomplete(at + size + 2);
    if (rest.toString("latin1", at + size, at + size + 2) !== "\r\n") {
      throw new HttpResponseError("chunk not followed by CRLF", "HPE_INVALID_CHUNK_SIZE");
    }
    parts.push(rest.subarray(at, at + size));
    at += size + 2;
  }
}
