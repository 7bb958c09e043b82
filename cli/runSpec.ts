import { createLogger, type Logger } from "../lib/log.js";
import { exitCodeFor, isConfigError, isIamraError } from "../lib/errors.js";
import type { CommandSpec } from "./commandSpec.js";
import { resolveCommandConfig } from "./resolveCommandConfig.js";

/** What the user typed for a command: flag values keyed by setting key (only the flags given) and positionals. */
export interface GivenArgs {
  flags: Record<string, string | boolean | undefined>;
  args: string[];
}

/**
 * Runs one command spec with the parsed arguments: resolves and validates its settings (resolveCommandConfig: all
 * problems at once), calls its run function and sets
 * process.exitCode (the command's code, 1 for runtime failures, 2 for configuration errors).
 */
export async function runSpec(spec: CommandSpec, given: GivenArgs, programName: string): Promise<void> {
  const env = process.env;
  const level = env.IAMRA_LOG_LEVEL ?? spec.defaultLogLevel ?? "info";
  const log = createLogger({ level, base: { command: spec.name }, fd: spec.logToStderr ? 2 : 1 });
  const controller = new AbortController();
  const stop = (sig: string) => {
    if (controller.signal.aborted) return;
    log.info({ signal: sig }, "shutdown requested");
    controller.abort(new Error(`received ${sig}`));
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
  try {
    const values = resolveCommandConfig(spec, { flags: given.flags, env });
    if (values.debug === true) log.level = "debug"; // --debug, the one log switch every command has
    const code = await spec.run!(values, {
      env,
      log,
      // getters: process.stdout and process.stderr build a stream each on first read, which a command that never
      // writes to one of them need not pay for
      get stdout() {
        return process.stdout;
      },
      get stderr() {
        return process.stderr;
      },
      signal: controller.signal,
      args: given.args,
    });
    process.exitCode = code ?? 0;
  } catch (err) {
    reportFailure(err, log, programName);
    process.exitCode = exitCodeFor(err);
  }
  if (spec.exitWhenDone) process.exit(); // logs are written synchronously, nothing is lost
}

function reportFailure(err: unknown, log: Logger, programName: string): void {
  if (isConfigError(err)) {
    log.error({ error: err.toJSON() }, "configuration invalid");
    const problems =
      err.problems.length > 1
        ? `configuration has ${err.problems.length} problems:\n  - ${err.problems.join("\n  - ")}`
        : err.problems[0];
    const hint = err.hint ?? "run the command with --help";
    process.stderr.write(`${programName}: [${err.code}] ${problems}\nHint: ${hint}\n`);
  } else if (isIamraError(err)) {
    log.error({ error: err.toJSON() }, "failed");
    process.stderr.write(`${programName}: [${err.code}] ${err.summary()}\n`);
  } else {
    log.error({ err }, "unexpected error (this is a bug)");
    process.stderr.write(`${programName}: unexpected error (this is a bug): ${(err as Error)?.stack ?? String(err)}\n`);
  }
}
