import { isIP } from "node:net";

/** Parsers for setting values given as strings (flags and environment). Each throws Error with a readable message. */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "15m", "1h30m", "500ms" or a bare number of seconds → milliseconds. */
export function parseDurationMs(raw: string): number {
  const text = raw.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    matched = re.lastIndex;
  }
  if (matched === 0 || matched !== text.length) {
    throw new Error(`"${raw}" is not a duration (use e.g. 90s, 15m, 1h, 1h30m)`);
  }
  return Math.round(total);
}

/** Node's largest timer delay (2^31-1 ms, about 24.8 days); a longer one fires after 1 ms instead. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** A duration that must be more than zero and fit in a timer, at most 2^31-1 ms (timeouts). */
export function parsePositiveDurationMs(raw: string): number {
  const ms = parseDurationMs(raw);
  if (ms <= 0) throw new Error(`"${raw}" must be more than zero`);
  if (ms > MAX_TIMEOUT_MS) {
    throw new Error(`"${raw}" is too long: a timeout can be at most 24d20h31m23s (2147483647ms)`);
  }
  return ms;
}

/** A whole number within [min, max]. */
export function intParser(min: number, max: number): (raw: string) => number {
  return (raw) => {
    const text = raw.trim();
    if (!/^-?\d+$/.test(text)) throw new Error(`"${raw}" is not a whole number`);
    const n = Number(text);
    if (n < min || n > max) throw new Error(`${n} is outside ${min}..${max}`);
    return n;
  };
}

/** TCP port 0..65535 (0 = pick a free port). */
export const parsePort = intParser(0, 65535);

/** true/false, 1/0, yes/no, on/off. */
export function parseBool(raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off", ""].includes(v)) return false;
  throw new Error(`"${raw}" is not a boolean (use true or false)`);
}

/** One of a fixed list of values. */
export function enumParser<T extends string>(values: readonly T[]): (raw: string) => T {
  return (raw) => {
    const v = raw.trim() as T;
    if (!values.includes(v)) throw new Error(`"${raw}" is not one of ${values.join(", ")}`);
    return v;
  };
}

/**
 * Octal mode of a written credentials file, such as 0640 or 640: the owner must be able to read it; setuid, setgid and
 * sticky bits, execute bits and write access for others are refused (they make no sense, or are dangerous, for a
 * file of secrets).
 */
export function parseFileMode(raw: string): number {
  const text = raw.trim();
  if (!/^0?[0-7]{3,4}$/.test(text)) throw new Error(`"${raw}" is not an octal file mode (e.g. 0640)`);
  const mode = parseInt(text, 8);
  const wrong: string[] = [];
  if ((mode & 0o400) === 0) wrong.push("the owner cannot read it");
  if ((mode & 0o7000) !== 0) wrong.push("it sets setuid, setgid or sticky bits");
  if ((mode & 0o111) !== 0) wrong.push("it makes the file executable");
  if ((mode & 0o002) !== 0) wrong.push("everyone may write the file");
  if (wrong.length) throw new Error(`file mode ${text} is refused: ${wrong.join("; ")} (use e.g. 0640 or 0600)`);
  return mode;
}

/**
 * A profile name for the credentials and config files: 1..64 of letters, digits and _ . - + @ : / (no brackets,
 * whitespace, comment characters or control characters, which would break or inject INI sections).
 */
export function parseProfileName(raw: string): string {
  const text = raw.trim();
  if (!/^[\w.+@:/-]{1,64}$/.test(text)) {
    throw new Error(`${JSON.stringify(raw)} is not a usable profile name (1-64 of A-Z a-z 0-9 _ . - + @ : /)`);
  }
  return text;
}

/** An address to listen on: an IP literal or "localhost" (names are not resolved through DNS). */
export function parseListenAddress(raw: string): string {
  const text = raw.trim();
  if (text === "localhost" || isIP(text) !== 0) return text;
  throw new Error(`${JSON.stringify(raw)} is not an IP address (use e.g. 0.0.0.0, ::, 127.0.0.1 or localhost)`);
}

/** A non-empty string. */
export function parseNonEmpty(raw: string): string {
  if (raw.trim() === "") throw new Error("must not be empty");
  return raw.trim();
}

/** An http(s) URL; returned without a trailing slash. */
export function parseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(`"${raw}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new Error(`"${raw}" must start with http:// or https://`);
  return url.toString().replace(/\/$/, "");
}
