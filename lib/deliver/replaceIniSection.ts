import { IamraError } from "../errors.js";

const HEADER = /^\s*\[\s*([^\]]+?)\s*\]\s*(?:[#;].*)?$/;

/**
 * Replaces the body of INI section `[name]` with `key = value` lines (or appends the section), leaving every other line
 * untouched. Throws OUTPUT_FILE_UNPARSEABLE for values that would break the file (newlines) or a section name with "]".
 */
export function replaceIniSection(text: string, name: string, entries: ReadonlyArray<readonly [string, string]>): string {
  if (/[\]\r\n]/.test(name)) throw invalid(`section name "${name}" cannot contain "]" or a newline`);
  for (const [k, v] of entries) {
    if (/[\r\n]/.test(k) || /[\r\n]/.test(v)) throw invalid(`value of ${k} contains a newline`);
  }
  const body = entries.map(([k, v]) => `${k} = ${v}`);
  const lines = text === "" ? [] : text.replace(/\r?\n$/, "").split(/\r?\n/);
  const start = lines.findIndex((l) => HEADER.exec(l)?.[1] === name);
  if (start === -1) {
    const head = lines.length > 0 ? [...lines, ...(lines[lines.length - 1]!.trim() === "" ? [] : [""])] : [];
    return [...head, `[${name}]`, ...body].join("\n") + "\n";
  }
  let end = start + 1;
  while (end < lines.length && !HEADER.test(lines[end]!)) end++;
  // keep the blank lines and comments that separate this section from the next one
  let keepFrom = end;
  while (keepFrom > start + 1 && /^\s*([#;].*)?$/.test(lines[keepFrom - 1]!)) keepFrom--;
  return [...lines.slice(0, start + 1), ...body, ...lines.slice(keepFrom)].join("\n") + "\n";
}

/** The `key = value` pairs of section `[name]` (undefined when absent); names are taken literally, dots included. */
export function readIniSection(text: string, name: string): Record<string, string> | undefined {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => HEADER.exec(l)?.[1] === name);
  if (start === -1) return undefined;
  const out: Record<string, string> = {};
  for (const line of lines.slice(start + 1)) {
    if (HEADER.test(line)) break;
    const m = /^\s*([^=#;\s][^=]*?)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

function invalid(reason: string): IamraError {
  return new IamraError({
    code: "OUTPUT_FILE_UNPARSEABLE",
    message: `cannot render the INI file: ${reason}`,
    hint: "check the profile name and the values",
    step: "write-output",
  });
}
