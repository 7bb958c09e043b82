import { IamraError } from "../errors.js";

const HEADER = /^\s*\[\s*([^\]]+?)\s*\]\s*(?:[#;].*)?$/;

/** One line of an INI file and the line break that ended it ("" for a last line without one). */
interface Line {
  text: string;
  eol: string;
}

/** A `key =` line at the start of a line (indented lines are sub-settings or continuations, never our keys). */
const KEY = /^([^=#;\s[][^=]*?)\s*=/;

/**
 * Sets `key = value` lines in INI section `[name]` (appending the section when absent) and leaves every other line byte
 * for byte: other sections, comments, keys it does not set (e.g. `region` next to the credentials) and each line's own
 * line break (new lines use the file's first one, CRLF or LF). A key it sets is updated where it stands (keys compare
 * case-insensitively, as botocore's parser does); repeated copies of it in the section are dropped; missing ones go
 * after the section's last setting. Throws OUTPUT_FILE_UNPARSEABLE for values that would break the file (newlines) or
 * a section name with "]".
 */
export function replaceIniSection(
  text: string,
  name: string,
  entries: ReadonlyArray<readonly [string, string]>,
): string {
  if (/[\]\r\n]/.test(name)) throw invalid(`section name "${name}" cannot contain "]" or a newline`);
  for (const [k, v] of entries) {
    if (/[\r\n]/.test(k) || /[\r\n]/.test(v)) throw invalid(`value of ${k} contains a newline`);
  }
  const lines = splitLines(text);
  const eol = lines.find((l) => l.eol !== "")?.eol ?? "\n";
  const last = lines[lines.length - 1];
  if (last && last.eol === "") last.eol = eol;
  const start = lines.findIndex((l) => HEADER.exec(l.text)?.[1] === name);
  if (start === -1) {
    const gap = last && last.text.trim() !== "" ? [{ text: "", eol }] : [];
    const added = [`[${name}]`, ...entries.map(([k, v]) => `${k} = ${v}`)].map((t) => ({ text: t, eol }));
    return joinLines([...lines, ...gap, ...added]);
  }
  let end = start + 1;
  while (end < lines.length && !HEADER.test(lines[end]!.text)) end++;
  const wanted = new Map(entries.map(([k, v]) => [k.toLowerCase(), `${k} = ${v}`]));
  const body: Line[] = [];
  for (const line of lines.slice(start + 1, end)) {
    const key = KEY.exec(line.text)?.[1]?.toLowerCase();
    if (key === undefined || !entries.some(([k]) => k.toLowerCase() === key)) body.push(line);
    else if (wanted.has(key)) {
      body.push({ text: wanted.get(key)!, eol: line.eol });
      wanted.delete(key);
    } // else: a repeated copy of a key already set above
  }
  // missing keys go after the last setting, before the blank lines and comments that lead to the next section
  let at = body.length;
  while (at > 0 && /^\s*([#;].*)?$/.test(body[at - 1]!.text)) at--;
  body.splice(at, 0, ...[...wanted.values()].map((t) => ({ text: t, eol })));
  return joinLines([...lines.slice(0, start + 1), ...body, ...lines.slice(end)]);
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const re = /([^\r\n]*)(\r\n|\n|\r)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = re.exec(text)) !== null) {
    lines.push({ text: m[1]!, eol: m[2]! });
    pos = re.lastIndex;
  }
  if (pos < text.length) lines.push({ text: text.slice(pos), eol: "" });
  return lines;
}

const joinLines = (lines: readonly Line[]) => lines.map((l) => l.text + l.eol).join("");

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
