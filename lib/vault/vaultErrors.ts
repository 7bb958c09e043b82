import { IamraError, isIamraError } from "../errors.js";
import type { VaultCallContext } from "./vaultCallContext.js";
import { verdictForStatus } from "./vaultErrorHints.js";

/** Raised by the client's own deadline when a request has not been answered in full within timeoutMs. */
export class VaultDeadlineError extends Error {
  readonly code = "IAMRA_VAULT_DEADLINE";
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = "VaultDeadlineError";
  }
}

/** A non-2xx answer from Vault: its status, its body (parsed JSON, else the text) and the Retry-After it asked for. */
export class VaultStatusError extends Error {
  readonly status: number;
  readonly body: unknown;
  /** Retry-After of a 429 or 503 answer, ms. */
  readonly retryAfterMs?: number;
  constructor(status: number, body: unknown, retryAfterMs?: number) {
    const first = vaultMessages(body)[0];
    super(first ?? `Status ${status}`);
    this.name = "VaultStatusError";
    this.status = status;
    this.body = body;
    if (retryAfterMs !== undefined) this.retryAfterMs = retryAfterMs;
  }
}

const TIMEOUT_CODES = new Set(["IAMRA_VAULT_DEADLINE", "ECONNABORTED", "ETIMEDOUT", "ESOCKETTIMEDOUT"]);
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "EPIPE",
  "EADDRNOTAVAIL",
  "ERR_NETWORK",
  "ERR_SOCKET_CLOSED",
]);
const TLS_CODE = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH|INVALID_CA)/;

/**
 * Vault's errors[] with Go's multierror wrapping removed ("1 error occurred:\n\t* permission denied\n\n" → ["permission
 * denied"]).
 */
export function vaultMessages(body: unknown): string[] {
  const errors = (body as { errors?: unknown } | null | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  const out: string[] = [];
  for (const e of errors) {
    if (typeof e !== "string") continue;
    if (/^\d+ errors? occurred:/.test(e)) {
      for (const line of e.split("\n")) {
        const m = /^\s*\*\s+(.*\S)\s*$/.exec(line);
        if (m) out.push(m[1]);
      }
    } else if (e.trim()) {
      out.push(e.trim());
    }
  }
  return out;
}

/** Replaces every known secret value inside `text` with [REDACTED]. */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join("[REDACTED]");
  return out;
}

interface RawFailure {
  message?: unknown;
  name?: unknown;
  code?: unknown;
  stack?: unknown;
  cause?: { code?: unknown };
}

/** The HTTP status of a VaultStatusError, or undefined for transport failures. */
export function vaultStatusOf(err: unknown): number | undefined {
  return err instanceof VaultStatusError ? err.status : undefined;
}

/**
 * The one mapping from a failed Vault call (VaultStatusError for an HTTP answer, a Node network or TLS error with its
 * code, our deadline) to an IamraError with a stable code, hint, step and status. The cause is replaced by a plain
 * Error carrying only name, code and the scrubbed message, so that nothing else a failure holds can reach a log.
 */
export function toVaultError(err: unknown, ctx: VaultCallContext): IamraError {
  if (isIamraError(err)) return err;
  const raw = (err ?? {}) as RawFailure;
  const scrub = (s: string) => scrubSecrets(s, ctx.secrets);
  const subject = ctx.role ? ` for role "${ctx.role}"` : "";
  const where = `${ctx.action} failed at ${ctx.path}${subject}`;
  const details: Record<string, unknown> = { method: ctx.method, path: ctx.path, addr: ctx.addr };
  if (ctx.namespace) details.namespace = ctx.namespace;
  if (ctx.attempt !== undefined) details.attempt = ctx.attempt;
  const code =
    typeof raw.code === "string" ? raw.code : typeof raw.cause?.code === "string" ? raw.cause.code : undefined;
  const cause = safeCause(raw, code, scrub);

  if (err instanceof VaultStatusError) {
    const status = err.status;
    const messages = vaultMessages(err.body).map(scrub);
    const errors = (err.body as { errors?: unknown } | undefined)?.errors;
    const bareDenial = Array.isArray(errors) && errors.length === 1 && errors[0] === "permission denied";
    const verdict = verdictForStatus(status, messages, ctx, { bareDenial });
    details.status = status;
    details.vaultErrors = messages;
    if (err.retryAfterMs !== undefined) details.retryAfterMs = err.retryAfterMs;
    const text = messages.length ? messages.join("; ") : "no message";
    return new IamraError({
      code: verdict.code,
      message: `${where} (HTTP ${status}: ${text}).`,
      hint: verdict.hint,
      retryable: verdict.retryable,
      step: ctx.step,
      status,
      details,
      cause,
    });
  }
  if (code && TIMEOUT_CODES.has(code)) {
    details.errorCode = code;
    return new IamraError({
      code: "VAULT_TIMEOUT",
      message: `${where} (no answer from ${ctx.addr} within ${ctx.timeoutMs ?? "?"} ms).`,
      hint: "Vault or the network is slow or unreachable; check VAULT_ADDR, network policies and Vault's load, or raise the timeout.",
      retryable: true,
      step: ctx.step,
      details,
      cause,
    });
  }
  if (code && TLS_CODE.test(code)) {
    details.errorCode = code;
    return new IamraError({
      code: "VAULT_UNREACHABLE",
      message: `${where} (TLS with ${ctx.addr} failed: ${code}: ${scrub(String(raw.message ?? ""))}).`,
      hint:
        code === "EPROTO"
          ? "The TLS handshake failed; check that VAULT_ADDR uses the scheme (http/https) and port Vault listens on."
          : "Vault's certificate is not trusted for this address; set VAULT_CACERT (or VAULT_CAPATH) to the CA that issued it, and check the host name in VAULT_ADDR.",
      // Retrying does not fix an untrusted certificate; failing fast gives the operator the hint sooner.
      retryable: false,
      step: ctx.step,
      details,
      cause,
    });
  }
  if (code && NETWORK_CODES.has(code)) {
    details.errorCode = code;
    return new IamraError({
      code: "VAULT_UNREACHABLE",
      message: `${where} (cannot reach ${ctx.addr}: ${code}).`,
      hint: "Check VAULT_ADDR (scheme, host, port), DNS, network policies and that Vault is running.",
      retryable: true,
      step: ctx.step,
      details,
      cause,
    });
  }
  if (code) details.errorCode = code;
  return new IamraError({
    code: "VAULT_REQUEST_FAILED",
    message: `${where} (${scrub(String(raw.message ?? err))}).`,
    hint: "Unexpected failure talking to Vault; see the cause.",
    retryable: false,
    step: ctx.step,
    details,
    cause,
  });
}

function safeCause(raw: RawFailure, code: string | undefined, scrub: (s: string) => string): Error {
  const cause = new Error(scrub(String(raw.message ?? raw)));
  cause.name = typeof raw.name === "string" ? raw.name : "Error";
  if (typeof raw.stack === "string") cause.stack = scrub(raw.stack);
  if (code) (cause as Error & { code?: string }).code = code;
  const status = vaultStatusOf(raw);
  if (status !== undefined) (cause as Error & { status?: number }).status = status;
  return cause;
}
