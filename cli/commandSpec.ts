import type { Writable } from "node:stream";
import type { Logger } from "../lib/log.js";
import type { Setting, ValuesOf } from "../lib/config/setting.js";
import type { ConfigProblem } from "../lib/config/configProblem.js";

/** What a command gets from the CLI shell: environment, logger, output streams and a shutdown signal. */
export interface CommandContext {
  env: Record<string, string | undefined>;
  log: Logger;
  stdout: Writable;
  stderr: Writable;
  /** Aborted on SIGTERM/SIGINT. */
  signal: AbortSignal;
  /** Positional arguments after the command name. */
  args: string[];
}

/**
 * A command as the CLI sees it: its settings schema and a run function that receives the values typed from that
 * schema. Exit code: returned number, else 0; errors map to 1 or 2.
 */
export interface CommandSpec<L extends readonly Setting[] = readonly Setting[]> {
  name: string;
  summary: string;
  /** Longer text shown at the end of --help. */
  helpText?: string;
  settings: L;
  /** Positional arguments, commander syntax, e.g. ["[action]"]. */
  args?: string[];
  /** Logs go to stderr instead of stdout (for commands whose stdout is data). */
  logToStderr?: boolean;
  /** Default log level for this command (e.g. "warn" for credential-process). */
  defaultLogLevel?: string;
  /**
   * Cross-setting rules, checked at start-up after every setting resolved and named files were found readable: all
   * problems are returned (the shell reports them with the others in one ConfigError, exit 2). Pure: no I/O.
   */
  validate?(values: ValuesOf<L>, ctx: { env: Record<string, string | undefined> }): ConfigProblem[];
  /** Runs the command with its resolved and validated values (method syntax: specs of any schema share one list). */
  run?(values: ValuesOf<L>, ctx: CommandContext): Promise<number | void>;
  /**
   * Exit the process as soon as run() returns, even if sockets or timers are still open (long-running commands whose
   * shutdown is bounded: an upstream call that cannot be cancelled must not keep a terminating pod alive).
   */
  exitWhenDone?: boolean;
  subcommands?: CommandSpec[];
  /** Runs when the program is called without a command name (commander's default command). */
  isDefault?: boolean;
}
