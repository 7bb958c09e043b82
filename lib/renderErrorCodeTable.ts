import { ERROR_CODE_GROUPS, ERROR_CODES, type ErrorCodeEntry } from "./errorCodes.js";

/** Markdown tables of the error-code catalogue for the README, one per group: code, exit code, meaning, what to do. */
export function renderErrorCodeTable(codes: Record<string, ErrorCodeEntry> = ERROR_CODES): string {
  const entries = Object.entries(codes);
  const parts: string[] = [];
  for (const [group, title] of Object.entries(ERROR_CODE_GROUPS)) {
    const rows = entries.filter(([, e]) => e.group === group);
    if (rows.length === 0) continue;
    parts.push(`#### ${title}\n`, "| code | exit | usually means | what to do |", "|---|---|---|---|");
    for (const [code, e] of rows) {
      parts.push(`| \`${code}\` | ${e.exitCodes.join(" or ")} | ${cell(e.meaning)} | ${cell(e.hint)} |`);
    }
    parts.push("");
  }
  return parts.join("\n");
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}
