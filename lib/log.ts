import { pino, destination, stdSerializers, stdTimeFunctions, type Logger, type DestinationStream } from "pino";

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

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const k of REDACTED_KEYS) {
    const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : `["${k}"]`;
    const join = (prefix: string) => (key.startsWith("[") ? `${prefix}${key}` : `${prefix}.${key}`);
    paths.push(key.startsWith("[") ? key : k, join("*"), join("*.*"));
  }
  return paths;
}

/** Options for the root logger of a process. */
export interface LoggerOptions {
  level?: string;
  /** Where JSON lines go; stdout by default. */
  destination?: DestinationStream;
  /** Bound to every line (e.g. { command: "init" }). */
  base?: Record<string, unknown>;
}

/** Creates the one root pino logger of a process, with the central redaction list. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  return pino(
    {
      level: opts.level ?? "info",
      base: { ...(opts.base ?? {}) },
      redact: { paths: redactPaths(), censor: "[REDACTED]" },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: stdSerializers.err },
    },
    opts.destination ?? destination({ fd: 1, sync: true }),
  );
}

/** A logger that drops everything (for library callers and tests that do not look at logs). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}

export type { Logger };
