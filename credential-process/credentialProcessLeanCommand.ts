import type { CommandSpec } from "../cli/commandSpec.js";
import { credentialProcessCommand, type credentialProcessSettings } from "./credentialProcessCommand.js";
import { runCredentialProcess } from "./runCredentialProcess.js";

/**
 * credentialProcessCommand with its body imported statically, for the lean start (cli/leanCommands.ts): the bundle
 * then loads one file for the command instead of two (the spec's own `run` imports the body lazily, so that --help,
 * which loads every spec, does not parse it).
 */
export const credentialProcessLeanCommand: CommandSpec<typeof credentialProcessSettings> = {
  ...credentialProcessCommand,
  run: (values, ctx) => runCredentialProcess(values, ctx),
};
