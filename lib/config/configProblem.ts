import { ConfigError, isConfigError } from "../errors.js";
import type { ErrorCode } from "../errorCodes.js";

/** One problem found by the start-up validation: what is wrong, its catalogue code and what to do. */
export interface ConfigProblem {
  message: string;
  /** Default CONFIG_INVALID. */
  code?: ErrorCode;
  hint?: string;
}

/** The problems a throwing check reports (its ConfigError's problems), or none when it passes. */
export function problemsOf(check: () => unknown): ConfigProblem[] {
  try {
    check();
    return [];
  } catch (err) {
    if (!isConfigError(err)) throw err;
    return err.problems.map((message) => ({ message, code: err.code, hint: err.hint }));
  }
}

const GENERIC_HINT = "run the command with --help to see every setting, its flag, environment variable and default";

/**
 * One ConfigError (exit 2) for every problem at once. Its code is the problems' code when they share one, else
 * CONFIG_INVALID (each message then names its own code); likewise its hint.
 */
export function configErrorOf(problems: readonly ConfigProblem[]): ConfigError {
  const codes = new Set(problems.map((p) => p.code ?? "CONFIG_INVALID"));
  const hints = new Set(problems.map((p) => p.hint ?? GENERIC_HINT));
  const shared = codes.size === 1;
  const messages = problems.map((p) => (shared || !p.code ? p.message : `${p.message} [${p.code}]`));
  return new ConfigError({
    code: shared ? [...codes][0]! : "CONFIG_INVALID",
    message: `invalid configuration: ${messages.join("; ")}`,
    hint: hints.size === 1 ? [...hints][0]! : GENERIC_HINT,
    problems: messages,
  });
}
