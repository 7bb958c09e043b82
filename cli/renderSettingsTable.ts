import type { CommandSpec } from "./commandSpec.js";

/** Markdown tables of every command's settings (flag, environment, default, description), generated from the schema. */
export function renderSettingsTable(specs: CommandSpec[], prefix = "iamra-vault"): string {
  const parts: string[] = [];
  for (const spec of specs) {
    const name = `${prefix} ${spec.name}`;
    if (spec.run) {
      parts.push(`#### \`${name}\`\n`);
      parts.push("| flag | environment | default | description |");
      parts.push("|---|---|---|---|");
      for (const s of spec.settings) {
        const env = (s.env ?? []).map((e) => `\`${e}\``).join(", ");
        const def = s.boolean
          ? ""
          : s.default === undefined
            ? s.required
              ? "required"
              : ""
            : `\`${s.defaultText ?? (typeof s.default === "string" ? s.default : JSON.stringify(s.default))}\``;
        parts.push(`| \`${s.flag}\` | ${env} | ${def} | ${s.description.replace(/\|/g, "\\|")} |`);
      }
      parts.push("");
    }
    if (spec.subcommands) parts.push(renderSettingsTable(spec.subcommands, name));
  }
  return parts.join("\n");
}
