import { Command, Option } from "commander";
import type { Setting } from "../lib/config/setting.js";
import { writeLineSync } from "../lib/log/writeLineSync.js";
import type { CommandSpec } from "./commandSpec.js";

/** Describes a setting for --help: description, environment variable(s) and default. */
export function helpLine(s: Setting): string {
  const parts = [s.description];
  if (s.env && s.env.length > 0) parts.push(`[env: ${s.env.join(", ")}]`);
  if (s.default !== undefined && !s.boolean) parts.push(`[default: ${s.defaultText ?? formatDefault(s.default)}]`);
  if (s.required) parts.push("[required]");
  return parts.join(" ");
}

function formatDefault(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** Adds one commander Option per setting; values are resolved later by resolveSettings (flags > env > defaults). */
export function addSettingOptions(cmd: Command, settings: readonly Setting[]): void {
  for (const s of settings) {
    const opt = new Option(s.flag, helpLine(s));
    opt.attributeName = () => s.key;
    cmd.addOption(opt);
  }
}

/** Flag values the user actually typed (commander's "cli" source), as strings or booleans, keyed by setting key. */
export function flagsGiven(cmd: Command, settings: readonly Setting[]): Record<string, string | boolean | undefined> {
  const out: Record<string, string | boolean | undefined> = {};
  const opts = cmd.opts();
  for (const s of settings) {
    if (cmd.getOptionValueSource(s.key) !== "cli") continue;
    out[s.key] = opts[s.key] as string | boolean;
  }
  return out;
}

/** Name, one-line description and version of a program (the product CLI, or a development tool). */
export interface ProgramInfo {
  name: string;
  description: string;
  version: string;
}

/**
 * Where commander writes help, the version and usage errors: synchronously, to stdout and stderr, so that the text is
 * complete before the process exits; once the reader of a pipe has gone (`iamra-vault init --help | head -1`), the rest
 * is dropped instead of failing with an unhandled EPIPE.
 */
const OUTPUT = {
  writeOut: (str: string) => writeLineSync(1, str),
  writeErr: (str: string) => writeLineSync(2, str),
  outputError: (str: string, write: (s: string) => void) => write(str),
};

/** Builds the commander tree for a list of command specs; `onRun` is called with the chosen spec and its Command. */
export function buildProgram(
  specs: CommandSpec[],
  onRun: (spec: CommandSpec, cmd: Command) => Promise<void>,
  info: ProgramInfo,
): Command {
  const program = new Command(info.name)
    .description(info.description)
    .version(info.version)
    .showHelpAfterError("(run with --help for usage)")
    .enablePositionalOptions() // options after a subcommand belong to it (commands and their subcommands share flags)
    .configureOutput(OUTPUT);
  for (const spec of specs) program.addCommand(buildCommand(spec, onRun), { isDefault: spec.isDefault === true });
  return program;
}

function buildCommand(spec: CommandSpec, onRun: (spec: CommandSpec, cmd: Command) => Promise<void>): Command {
  const cmd = new Command(spec.name).description(spec.summary).showHelpAfterError("(run with --help for usage)");
  cmd.allowExcessArguments(false);
  cmd.exitOverride();
  cmd.configureOutput(OUTPUT);
  for (const a of spec.args ?? []) cmd.argument(a);
  addSettingOptions(cmd, spec.settings);
  if (spec.helpText) cmd.addHelpText("after", `\n${spec.helpText}`);
  if (spec.subcommands?.length) cmd.enablePositionalOptions();
  for (const sub of spec.subcommands ?? []) cmd.addCommand(buildCommand(sub, onRun));
  if (spec.run) cmd.action(async () => onRun(spec, cmd));
  return cmd;
}
