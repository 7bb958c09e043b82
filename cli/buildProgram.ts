import { Command, Option } from "commander";
import type { Setting } from "../lib/config/setting.js";
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

/** Builds the commander tree for a list of command specs; `onRun` is called with the chosen spec and its Command. */
export function buildProgram(
  specs: CommandSpec[],
  onRun: (spec: CommandSpec, cmd: Command) => Promise<void>,
  version: string,
): Command {
  const program = new Command("iamra-vault")
    .description("Short-lived AWS credentials for Kubernetes pods through IAM Roles Anywhere, with Vault as the CA")
    .version(version)
    .showHelpAfterError("(run with --help for usage)")
    .enablePositionalOptions() // options after a subcommand belong to it (devstack and devstack token share --port-base)
    .configureOutput({ outputError: (str, write) => write(str) });
  for (const spec of specs) program.addCommand(buildCommand(spec, onRun));
  return program;
}

function buildCommand(spec: CommandSpec, onRun: (spec: CommandSpec, cmd: Command) => Promise<void>): Command {
  const cmd = new Command(spec.name).description(spec.summary).showHelpAfterError("(run with --help for usage)");
  cmd.allowExcessArguments(false);
  cmd.exitOverride();
  cmd.configureOutput({ outputError: (str, write) => write(str) });
  for (const a of spec.args ?? []) cmd.argument(a);
  addSettingOptions(cmd, spec.settings);
  if (spec.helpText) cmd.addHelpText("after", `\n${spec.helpText}`);
  if (spec.subcommands?.length) cmd.enablePositionalOptions();
  for (const sub of spec.subcommands ?? []) cmd.addCommand(buildCommand(sub, onRun));
  if (spec.run) cmd.action(async () => onRun(spec, cmd));
  return cmd;
}
