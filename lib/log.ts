import type * as Pino from "pino";
import { plainBindings, plainLogLine } from "./log/plainLogLine.js";
import { writeLineSync } from "./log/writeLineSync.js";

/** Every key whose value is secret, wherever it appears in a log object (up to three levels deep). */
export const REDACTED_KEYS = [
  "token",
  "client_token",
  "clientToken",
  "vaultToken",
  "jwt",
  "secretAccessKey",
  "SecretAccessKey",
  "secret_access_key",
  "aws_secret_access_key",
  "sessionToken",
  "SessionToken",
  "Token",
  "aws_session_token",
  "privateKey",
  "private_key",
  "authorization",
  "Authorization",
  "x-vault-token",
  "X-Vault-Token",
  "password",
] as const;

const REDACTED_KEY_SET: ReadonlySet<string> = new Set(REDACTED_KEYS);

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const k of REDACTED_KEYS) {
    const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : `["${k}"]`;
    const join = (prefix: string) => (key.startsWith("[") ? `${prefix}${key}` : `${prefix}.${key}`);
    paths.push(key.startsWith("[") ? key : k, join("*"), join("*.*"));
  }
  return paths;
}

/** A log method: `(object, message)` or `(message)`, as pino takes them. */
export interface LogFn {
  (obj: object, msg?: string, ...args: unknown[]): void;
  (msg: string, ...args: unknown[]): void;
}

/** The logging API the project uses (a subset of pino's Logger, so a pino logger is one too). */
export interface Logger {
  /** Lowest level written: trace, debug, info, warn, error, fatal or silent. */
  level: string;
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  /** A logger that adds `bindings` to every line and starts at this logger's level. */
  child(bindings: Record<string, unknown>): Logger;
}

/** Where log lines go: anything with a write(line) method (pino's DestinationStream). */
export interface DestinationStream {
  write(msg: string): void;
}

/** Options for the root logger of a process. */
export interface LoggerOptions {
  level?: string;
  /** Where JSON lines go; stdout by default. */
  destination?: DestinationStream;
  /** File descriptor written synchronously when no destination is given (1, stdout, by default). */
  fd?: number;
  /** Bound to every line (e.g. { command: "init" }). */
  base?: Record<string, unknown>;
}

/** pino, required on the first line written: a command that logs nothing does not load it (a CommonJS package). */
function loadPino(): typeof Pino {
  // A synchronous load, deferred to the first line. The literal require("pino") is what the bundler follows to put pino
  // in a file of its own; from the TypeScript sources, a require made for this file through process.getBuiltinModule
  // (a static import of node:module would make the bundle load it, with the ES module loader parts, on every start).
  return (
    typeof require === "function"
      ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
        require("pino")
      : process.getBuiltinModule("node:module").createRequire(import.meta.url)("pino")
  ) as typeof Pino;
}

function createPino(opts: LoggerOptions): Pino.Logger {
  const { pino, destination, stdSerializers, stdTimeFunctions } = loadPino();
  return pino(
    {
      level: opts.level ?? "info",
      base: { ...(opts.base ?? {}) },
      redact: { paths: redactPaths(), censor: "[REDACTED]" },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: stdSerializers.err },
    },
    opts.destination ?? destination({ fd: opts.fd ?? 1, sync: true }),
  );
}

/** pino itself with the project's options, writing every line (the reference for the lines written without it). */
export function createPinoLogger(opts: LoggerOptions = {}): Logger {
  return createPino(opts);
}

/** pino's level values; a line is written when its level's value is at least the logger's. */
const LEVEL_VALUES: Readonly<Record<string, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Number.POSITIVE_INFINITY,
};
type Method = "trace" | "debug" | "info" | "warn" | "error" | "fatal";

/**
 * A Logger that writes lines of plain data itself (plainLogLine: the bytes pino writes) and creates its pino logger
 * only for a line that is not plain (an error object, format arguments, ...) or when its bindings are not plain.
 */
class LazyLogger implements Logger {
  #level: string;
  #pino: Pino.Logger | undefined;
  readonly #create: () => Pino.Logger;
  /** The bindings' JSON text, undefined when pino must write every line of this logger. */
  readonly #chindings: string | undefined;
  readonly #sink: (line: string) => void;

  constructor(create: () => Pino.Logger, level: string, chindings: string | undefined, sink: (line: string) => void) {
    this.#create = create;
    this.#level = level;
    this.#chindings = chindings;
    this.#sink = sink;
    // an unknown level fails here, with pino's own error, as it did when pino was created up front
    if (!Object.hasOwn(LEVEL_VALUES, level)) this.#materialize();
  }

  #materialize(): Pino.Logger {
    if (!this.#pino) {
      this.#pino = this.#create();
      this.#pino.level = this.#level;
    }
    return this.#pino;
  }

  get level(): string {
    return this.#level;
  }

  set level(level: string) {
    if (this.#pino || !Object.hasOwn(LEVEL_VALUES, level)) this.#materialize().level = level;
    this.#level = level;
  }

  #write(method: Method, args: unknown[]): void {
    if (LEVEL_VALUES[method]! < LEVEL_VALUES[this.#level]!) return;
    const line =
      this.#chindings === undefined ? undefined : plainLogLine(method, this.#chindings, args, REDACTED_KEY_SET);
    if (line !== undefined) this.#sink(line);
    else (this.#materialize()[method] as (...a: unknown[]) => void)(...args);
  }

  trace: LogFn = (...args: unknown[]) => this.#write("trace", args);
  debug: LogFn = (...args: unknown[]) => this.#write("debug", args);
  info: LogFn = (...args: unknown[]) => this.#write("info", args);
  warn: LogFn = (...args: unknown[]) => this.#write("warn", args);
  error: LogFn = (...args: unknown[]) => this.#write("error", args);
  fatal: LogFn = (...args: unknown[]) => this.#write("fatal", args);

  child(bindings: Record<string, unknown>): Logger {
    const own = this.#chindings === undefined ? undefined : plainBindings(bindings, REDACTED_KEY_SET);
    const chindings = own === undefined ? undefined : this.#chindings! + own;
    return new LazyLogger(() => this.#materialize().child(bindings), this.#level, chindings, this.#sink);
  }
}

/**
 * Creates the one root logger of a process: JSON lines `{"level":"info","time":"<ISO>",...bindings,...object,"msg":
 * "..."}` with the central redaction list, as pino writes them. Lines of plain data are written without pino; pino is
 * loaded and set up on the first line that needs it (an error object, format arguments), so most runs never load it.
 */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const fd = opts.fd ?? 1;
  const destination = opts.destination;
  const sink = destination ? (line: string) => destination.write(line) : (line: string) => writeLineSync(fd, line);
  const chindings = plainBindings({ ...(opts.base ?? {}) }, REDACTED_KEY_SET);
  return new LazyLogger(() => createPino(opts), opts.level ?? "info", chindings, sink);
}

/** A logger that drops everything (for library callers and tests that do not look at logs). */
export function silentLogger(): Logger {
  return createLogger({ level: "silent" });
}
