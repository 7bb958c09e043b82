import { CommanderError, type Command } from "commander";
import { buildProgram, flagsGiven, type ProgramInfo } from "./buildProgram.js";
import type { CommandSpec } from "./commandSpec.js";
import { runSpec } from "./runSpec.js";

/**
 * Parses argv and runs the chosen command spec; sets process.exitCode: the command's code, 1 for runtime failures,
 * 2 for configuration and usage errors (commander prints usage errors itself), 0 for --help and --version.
 */
export async function runProgram(info: ProgramInfo, specs: CommandSpec[], argv: string[]): Promise<void> {
  const run = (spec: CommandSpec, cmd: Command) =>
    runSpec(spec, { flags: flagsGiven(cmd, spec.settings), args: cmd.args }, info.name);
  const program = buildProgram(specs, run, info);
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  }
}
