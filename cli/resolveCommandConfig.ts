import { collectSettings, type SettingSources } from "../lib/config/resolveSettings.js";
import { configErrorOf } from "../lib/config/configProblem.js";
import type { Setting, ValuesOf } from "../lib/config/setting.js";
import type { CommandSpec } from "./commandSpec.js";
import { settingFileProblems, type FileCheck } from "./settingFileProblems.js";

/**
 * The one validation pass of a command at start-up, before anything runs: resolves its settings (flags > env >
 * defaults), applies the file policy, then the command's cross-setting rules. Throws one ConfigError (exit 2) listing
 * every problem; the rules run only once every setting resolved (they rely on the typed values).
 */
export function resolveCommandConfig<L extends readonly Setting[]>(
  spec: Pick<CommandSpec<L>, "settings" | "validate">,
  sources: SettingSources,
  fs?: FileCheck,
): ValuesOf<L> {
  const { values, problems } = collectSettings(spec.settings, sources);
  const resolved = problems.length === 0;
  problems.push(...settingFileProblems(spec.settings, values, fs));
  if (resolved && spec.validate) problems.push(...spec.validate(values, { env: sources.env }));
  if (problems.length > 0) throw configErrorOf(problems);
  return values;
}
