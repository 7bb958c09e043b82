/** Typed errors: every failure that lib/ reports is an IamraError with a stable code, a hint and a retryable flag. */
import type { ErrorCode } from "./errorCodes.js";

export interface IamraErrorOptions {
  /** Stable machine-readable code from the catalogue (lib/errorCodes.ts), e.g. VAULT_LOGIN_DENIED. */
  code: ErrorCode;
  /** What failed, where, with which non-secret inputs. */
  message: string;
  /** What the user can do about it. */
  hint?: string;
  /** True when trying again later may succeed (network, 5xx, throttling). */
  retryable?: boolean;
  /** The step of the pipeline that failed, e.g. "vault-login", "create-session". */
  step?: string;
  /** HTTP status of the upstream answer, when there was one. */
  status?: number;
  /** Non-secret details for logs. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

// Brands in the global symbol registry, so that errors are recognised even when two copies of this module are loaded
// (e.g. a lazily imported command under a TypeScript loader); `instanceof` alone would call them bugs.
const ERROR_BRAND = Symbol.for("iamra-vault.IamraError");
const CONFIG_BRAND = Symbol.for("iamra-vault.ConfigError");

/** Base class of every error the project throws on purpose. */
export class IamraError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly retryable: boolean;
  readonly step?: string;
  readonly status?: number;
  readonly details?: Record<string, unknown>;

  constructor(opts: IamraErrorOptions) {
    super(opts.message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = opts.code;
    this.hint = opts.hint;
    this.retryable = opts.retryable ?? false;
    this.step = opts.step;
    this.status = opts.status;
    this.details = opts.details;
    Object.defineProperty(this, ERROR_BRAND, { value: true });
  }

  /** One line for humans: message plus hint. */
  summary(): string {
    return this.hint ? `${this.message} Hint: ${this.hint}` : this.message;
  }

  /** Plain object for JSON logs (no stack, cause reduced to its code/message). */
  toJSON(): Record<string, unknown> {
    const cause = this.cause as { code?: unknown; message?: unknown } | undefined;
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      hint: this.hint,
      retryable: this.retryable,
      step: this.step,
      status: this.status,
      details: this.details,
      cause: cause ? { code: cause.code, message: cause.message } : undefined,
    };
  }
}

/** Bad configuration or usage: the command exits 2. */
export class ConfigError extends IamraError {
  /** All problems found, when several were collected at once. */
  readonly problems: string[];
  constructor(opts: Omit<IamraErrorOptions, "code"> & { code?: ErrorCode; problems?: string[] }) {
    super({ code: opts.code ?? "CONFIG_INVALID", ...opts });
    this.problems = opts.problems ?? [opts.message];
    Object.defineProperty(this, CONFIG_BRAND, { value: true });
  }
}

/** Exit code for an error: 2 for configuration/usage errors, 1 otherwise. */
export function exitCodeFor(err: unknown): 1 | 2 {
  return isConfigError(err) ? 2 : 1;
}

/** True for configuration/usage errors (exit 2). */
export function isConfigError(err: unknown): err is ConfigError {
  return typeof err === "object" && err !== null && (err as Record<symbol, unknown>)[CONFIG_BRAND] === true;
}

/** True for errors that are ours (anything else is a bug and is logged with its stack). */
export function isIamraError(err: unknown): err is IamraError {
  return typeof err === "object" && err !== null && (err as Record<symbol, unknown>)[ERROR_BRAND] === true;
}
