/** Writes JSON HTTP answers for the refresher's small servers. */
import type { ServerResponse } from "node:http";

/** Sends `body` as JSON with `status`, Content-Type application/json, no caching; `headers` are added. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
    ...headers,
  });
  res.end(text);
}

/**
 * Sends a JSON error `{ code, message, Code, Message }` (the capitalised pair is what JS v3 attaches to its error on
 * 4xx).
 */
export function sendJsonError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): void {
  sendJson(res, status, { code, message, Code: code, Message: message }, headers);
}
