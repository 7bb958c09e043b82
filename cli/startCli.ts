import type { ProgramInfo } from "./buildProgram.js";
import type { CommandSpec } from "./commandSpec.js";
import { parseCommandArgs } from "./parseCommandArgs.js";
import { runSpec } from "./runSpec.js";

/**
 * The arguments of a plain command call (`<command> --flag value ...`) that can run without the commander tree: a
 * known command name first, a spec without subcommands or positional arguments, and flags parseCommandArgs accepts.
 */
async function leanCall(
  commands: Readonly<Record<string, () => Promise<CommandSpec>>>,
  argv: readonly string[],
): Promise<{ spec: CommandSpec; flags: Record<string, string | boolean | undefined> } | undefined> {
  const name = argv[2];
  if (name === undefined || !Object.hasOwn(commands, name)) return undefined;
  const spec = await commands[name]!();
  if (!spec.run || spec.subcommands?.length || spec.args?.length) return undefined;
  const parsed = parseCommandArgs(spec.settings, argv.slice(3));
  return parsed && { spec, flags: parsed.flags };
}

/**
 * Runs the CLI for `argv` (process.argv). A plain command call loads only that command's spec and runs it; help,
 * version, no command and usage errors go to the commander program, whose output and exit codes are the reference.
 */
export async function startCli(
  info: ProgramInfo,
  commands: Readonly<Record<string, () => Promise<CommandSpec>>>,
  allSpecs: () => Promise<CommandSpec[]>,
  argv: string[],
): Promise<void> {
  const call = await leanCall(commands, argv);
  if (call) {
    await runSpec(call.spec, { flags: call.flags, args: [] }, info.name);
    return;
  }
  const { runProgram } = await import("./runProgram.js");
  await runProgram(info, await allSpecs(), argv);
}
