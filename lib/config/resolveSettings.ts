import type { Setting, ValuesOf } from "./setting.js";
import { configErrorOf, type ConfigProblem } from "./configProblem.js";

/** Where raw setting values come from; the command passes its environment and the parsed flags. */
export interface SettingSources {
  /** Flag values as strings (or booleans for switches), keyed by Setting.key; only flags the user gave. */
  flags: Record<string, string | boolean | undefined>;
  env: Record<string, string | undefined>;
}

/**
 * Resolves settings with precedence flags > env > defaults, parsing every value.
 * All problems are collected and thrown together as one ConfigError (exit 2).
 */
export function resolveSettings<L extends readonly Setting[]>(settings: L, sources: SettingSources): ValuesOf<L> {
  const { values, problems } = collectSettings(settings, sources);
  if (problems.length > 0) throw configErrorOf(problems);
  return values;
}

/**
 * Resolves settings like resolveSettings but returns the problems instead of throwing, with the values found so far
 * (complete only when there are no problems).
 */
export function collectSettings<L extends readonly Setting[]>(
  settings: L,
  sources: SettingSources,
): { values: ValuesOf<L>; problems: ConfigProblem[] } {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const s of settings) {
    const fromFlag = sources.flags[s.key];
    let raw: string | boolean | undefined;
    let origin = "";
    if (fromFlag !== undefined) {
      raw = fromFlag;
      origin = s.flag.split(/[ ,]/)[0]!;
    } else {
      for (const name of s.env ?? []) {
        const v = sources.env[name];
        if (v !== undefined && v !== "") {
          raw = v;
          origin = `$${name}`;
          break;
        }
      }
    }
    if (raw === undefined) {
      if (s.default !== undefined) values[s.key] = s.default;
      else if (s.required) problems.push(`${s.flag.split(/[ ,]/)[0]}${envHint(s)} is required: ${s.description}`);
      continue;
    }
    if (typeof raw === "boolean") {
      values[s.key] = raw;
      continue;
    }
    try {
      values[s.key] = s.parse(raw);
    } catch (err) {
      problems.push(`${origin}: ${(err as Error).message}`);
    }
  }
  // every required or defaulted key was set above (else it is a problem), each value by its setting's own parser
  return { values: values as ValuesOf<L>, problems: problems.map((message) => ({ message })) };
}

function envHint(s: Setting): string {
  return s.env && s.env.length > 0 ? ` (or $${s.env[0]})` : "";
}
