import type { IncomingMessage, ServerResponse } from "node:http";
import { posix } from "node:path";
import type { VaultState } from "../state/VaultState.js";
import type { Operation } from "./vaultTypes.js";
import { VaultHttpError } from "./VaultHttpError.js";
import { dispatchRequest } from "./dispatchRequest.js";
import { writeVaultError, writeVaultResponse } from "./writeVaultResponse.js";
import { parseBool } from "../fields/coerceFields.js";
import { readRequestBody } from "../../readRequestBody.js";

/** Test controls of the stand-in: response delay and injected failures. */
export interface StandInControls {
  delayMs: number;
  failures: Array<{ status: number }>;
  /** Every request seen: method, URL path and the accessor of the token used (never the token). */
  requests: Array<{ method: string; path: string; token?: string }>;
}

/**
 * Waits `ms` before answering, or less if the client goes away first (a long delay then holds no timer that keeps
 * the process alive). Resolves to false when there is no one left to answer.
 */
function delayUnlessGone(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const done = (answer: boolean) => {
      clearTimeout(timer);
      res.off("close", gone);
      resolve(answer);
    };
    const gone = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    res.once("close", gone);
  });
}

/** The node:http handler of the Vault stand-in: transport details (§2.3), then the logical dispatch. */
export async function handleVaultRequest(
  state: VaultState,
  controls: StandInControls,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://vault.invalid");
  const method = (req.method ?? "GET").toUpperCase();
  const record: { method: string; path: string; token?: string } = { method, path: url.pathname };
  controls.requests.push(record);
  try {
    if (controls.delayMs > 0 && !(await delayUnlessGone(res, controls.delayMs))) return;
    const failure = controls.failures.shift();
    if (failure)
      throw new VaultHttpError(failure.status, [`injected failure (devstack stand-in): HTTP ${failure.status}`]);
    const cleaned = cleanPath(url.pathname);
    if (cleaned !== url.pathname) {
      res.writeHead(301, { Location: cleaned + url.search });
      res.end();
      return;
    }
    if (!url.pathname.startsWith("/v1/")) throw VaultHttpError.notFound();
    const path = url.pathname.slice(4).replace(/\/+$/, "");
    const op = operationOf(method, url.searchParams);
    const body = await readJsonBody(req);
    const clientToken = tokenOf(req);
    const onToken = (accessor: string) => void (record.token = accessor);
    const result = await dispatchRequest(state, { op, path, body, query: url.searchParams, clientToken, onToken });
    writeVaultResponse(res, result.response, op === "head");
  } catch (err) {
    if (err instanceof VaultHttpError) {
      writeVaultError(res, err);
      return;
    }
    state.log.error({ err, path: url.pathname }, "vault stand-in handler failed");
    writeVaultError(res, VaultHttpError.internal(`internal error: ${(err as Error).message}`));
  }
}

function cleanPath(p: string): string {
  if (!/\/\/|\/\.\.?(\/|$)/.test(p)) return p;
  const cleaned = posix.normalize(p);
  return p.endsWith("/") && !cleaned.endsWith("/") ? `${cleaned}/` : cleaned;
}

function operationOf(method: string, query: URLSearchParams): Operation {
  switch (method) {
    case "GET": {
      const list = query.get("list");
      if (list !== null) {
        try {
          if (parseBool(list)) return "list";
        } catch {
          throw VaultHttpError.badRequest(`invalid value for "list": ${list}`);
        }
      }
      return "read";
    }
    case "LIST":
      return "list";
    case "HEAD":
      return "head";
    case "POST":
    case "PUT":
      return "update";
    case "DELETE":
      return "delete";
    case "PATCH":
      return "patch";
    default:
      throw new VaultHttpError(405, []);
  }
}

function tokenOf(req: IncomingMessage): string | undefined {
  const header = req.headers["x-vault-token"];
  if (typeof header === "string" && header !== "") return header;
  const auth = req.headers.authorization;
  if (auth && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, "").trim() || undefined;
  return undefined;
}

async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const bytes = await readRequestBody(req);
  if (!bytes) throw new VaultHttpError(413, ["http: request body too large"]);
  const text = bytes.toString("utf8").trim();
  if (text === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw VaultHttpError.badRequest(`failed to parse JSON input: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw VaultHttpError.badRequest("failed to parse JSON input: json: cannot unmarshal into a map");
  }
  return parsed as Record<string, unknown>;
}
