import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { VaultResponse } from "./vaultTypes.js";
import type { VaultHttpError } from "./VaultHttpError.js";

/** Writes JSON like Go's json.Encoder: the body ends with a newline. */
function writeJson(res: ServerResponse, status: number, body: unknown, headOnly: boolean): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Cache-Control": "no-store",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(headOnly ? undefined : text);
}

/** Writes a handler's answer: 204 for null, a raw body, or Vault's envelope (sdk/logical/translate_response.go). */
export function writeVaultResponse(res: ServerResponse, response: VaultResponse | null, headOnly = false): void {
  if (response === null) {
    res.writeHead(204, { "Cache-Control": "no-store" });
    res.end();
    return;
  }
  if (response.raw) {
    const { contentType, body } = response.raw;
    if (body.length === 0) {
      res.writeHead(response.status ?? 204);
      res.end();
      return;
    }
    res.writeHead(response.status ?? 200, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body) });
    res.end(headOnly ? undefined : body);
    return;
  }
  const envelope: Record<string, unknown> = {
    request_id: randomUUID(),
    lease_id: response.leaseId ?? "",
    renewable: response.renewable ?? false,
    lease_duration: response.leaseDuration ?? 0,
    data: response.data ?? null,
    wrap_info: null,
    warnings: response.warnings && response.warnings.length ? response.warnings : null,
    auth: response.auth ?? null,
  };
  const body = response.injectTop && response.data ? { ...response.data, ...envelope } : envelope;
  writeJson(res, response.status ?? 200, body, headOnly);
}

/** Writes Vault's error envelope `{"errors":[…]}`. */
export function writeVaultError(res: ServerResponse, err: VaultHttpError): void {
  writeJson(res, err.status, { errors: err.errors }, false);
}
