import type { Setting } from "../lib/config/setting.js";

/** Flags the user typed, keyed by setting key (what resolveSettings takes), and the positional arguments. */
export interface ParsedCommandArgs {
  flags: Record<string, string | boolean | undefined>;
  args: string[];
}

interface FlagShape {
  key: string;
  /** Takes a value (`--name <value>`); otherwise a switch. */
  takesValue: boolean;
  /** Value a switch sets: false for `--no-x` flags. */
  switchValue: boolean;
}

/** Flag name (e.g. "--vault-addr") to its shape, for the long flags a settings list declares. */
function flagShapes(settings: readonly Setting[]): Map<string, FlagShape> | undefined {
  const shapes = new Map<string, FlagShape>();
  for (const s of settings) {
    // string checks rather than a regular expression: this runs on every start
    const space = s.flag.indexOf(" ");
    const name = space < 0 ? s.flag : s.flag.slice(0, space);
    const value = space < 0 ? "" : s.flag.slice(space + 1);
    const plainName = name.startsWith("--") && name.length > 2 && !name.includes(",") && !name.includes("=");
    const plainValue = value === "" || (value.startsWith("<") && value.endsWith(">") && !value.includes("..."));
    if (!plainName || !plainValue) return undefined; // a form this parser does not know (short, optional, variadic)
    shapes.set(name, { key: s.key, takesValue: value !== "", switchValue: !name.startsWith("--no-") });
  }
  return shapes;
}

/** Arguments that make commander print help or its version (or whose meaning depends on commander's rules). */
const LEAVE_TO_COMMANDER = new Set(["--help", "-h", "--version", "-V", "--"]);

/**
 * Parses the arguments after a command name for the common case, exactly as the commander tree does for a command
 * without positional arguments or subcommands: `--flag value` (the next argument is the value whatever it looks like),
 * `--flag=value`, switches, `--no-x` negations, a repeated flag's last value wins. Returns undefined for anything else
 * (help, version, an unknown flag, a missing value, an extra argument), so that commander handles it and its messages.
 */
export function parseCommandArgs(settings: readonly Setting[], argv: readonly string[]): ParsedCommandArgs | undefined {
  const shapes = flagShapes(settings);
  if (!shapes || argv.some((a) => LEAVE_TO_COMMANDER.has(a))) return undefined;
  const flags: Record<string, string | boolean | undefined> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") && eq > 2 ? arg.slice(0, eq) : arg;
    const shape = shapes.get(name);
    if (!shape) return undefined;
    if (name !== arg) {
      if (!shape.takesValue) return undefined;
      flags[shape.key] = arg.slice(eq + 1);
    } else if (shape.takesValue) {
      if (i + 1 >= argv.length) return undefined;
      flags[shape.key] = argv[++i]!;
    } else {
      flags[shape.key] = shape.switchValue;
    }
  }
  return { flags, args: [] };
}
