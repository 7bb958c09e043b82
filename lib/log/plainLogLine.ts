/**
 * The project's JSON log line written without pino, for the calls whose data is plain (strings, numbers, booleans,
 * null, plain objects and arrays). The bytes are those pino writes with the options of lib/log.ts (level label, ISO
 * time, redaction of the listed keys at the top level and two levels down with the censor "[REDACTED]"); anything
 * else (errors, dates, class instances, functions, bigints, cycles, format arguments) returns undefined and goes to
 * pino itself.
 */

/** The censor written in place of a redacted value, as a JSON string. */
const CENSOR = '"[REDACTED]"';

/** Binding keys pino treats specially (skips or passes to a serializer): such a binding goes to pino. */
const SPECIAL_BINDING_KEYS = new Set(["level", "serializers", "formatters", "customLevels", "err"]);

/** Whether `value` is an object literal (or a null-prototype object) without an own `__proto__` key. */
function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as unknown;
  return (proto === Object.prototype || proto === null) && !Object.hasOwn(value, "__proto__");
}

/** Whether `value` is JSON-like data: no functions, bigints, symbols, class instances or cycles. */
function isPlain(value: unknown, ancestors: object[] = []): boolean {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
    case "undefined":
      return true;
    case "object":
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (ancestors.includes(value)) return false;
  const isArray = Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype;
  if (!isArray && !isPlainObject(value)) return false;
  ancestors.push(value);
  const ok = Object.values(value).every((v) => isPlain(v, ancestors));
  ancestors.pop();
  return ok;
}

/** A copy of plain object `obj` with its own `redacted` keys set to the censor (present even when undefined). */
function censorOwnKeys(obj: Record<string, unknown>, redacted: ReadonlySet<string>): Record<string, unknown> {
  const copy: Record<string, unknown> = Object.getPrototypeOf(obj) === null ? Object.create(null) : {};
  for (const k of Object.keys(obj)) copy[k] = redacted.has(k) ? "[REDACTED]" : obj[k];
  return copy;
}

/** `value` (not a redacted key itself) as JSON, its own redacted keys and those of its children censored. */
function stringifyRedacted(value: unknown, redacted: ReadonlySet<string>): string | undefined {
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  const child = (c: unknown) =>
    typeof c === "object" && c !== null && !Array.isArray(c)
      ? censorOwnKeys(c as Record<string, unknown>, redacted)
      : c;
  if (Array.isArray(value)) return JSON.stringify(value.map(child));
  const obj = value as Record<string, unknown>;
  const copy: Record<string, unknown> = Object.getPrototypeOf(obj) === null ? Object.create(null) : {};
  for (const k of Object.keys(obj)) copy[k] = redacted.has(k) ? "[REDACTED]" : child(obj[k]);
  return JSON.stringify(copy);
}

/** A property name as pino quotes it: JSON.stringify for long names or control characters, else `"` and `\` escaped. */
function quoteKey(key: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what the test is about
  if (key.length > 100 || /[\u0000-\u001f]/.test(key)) return JSON.stringify(key);
  return `"${key.replace(/["\\]/g, "\\$&")}"`;
}

/**
 * The `,"key":value` text of a logger's bindings as pino writes it, or undefined when a binding is not plain or is
 * one pino treats specially (then that logger writes through pino).
 */
export function plainBindings(bindings: Record<string, unknown>, redacted: ReadonlySet<string>): string | undefined {
  if (typeof bindings !== "object" || bindings === null || !isPlainObject(bindings) || !isPlain(bindings)) {
    return undefined;
  }
  let text = "";
  for (const key of Object.keys(bindings)) {
    const value = bindings[key];
    if (SPECIAL_BINDING_KEYS.has(key) || JSON.stringify(key) !== `"${key}"`) return undefined;
    if (value === undefined) continue;
    text += `,"${key}":${redacted.has(key) ? CENSOR : stringifyRedacted(value, redacted)}`;
  }
  return text;
}

/** What a log call passes: `(object, message)`, `(object)`, `(message)` or nothing. */
function splitArgs(args: readonly unknown[]): { obj?: Record<string, unknown>; msg?: string } | undefined {
  const [first, second] = args;
  if (args.length === 0) return {};
  if (typeof first === "string") return args.length === 1 ? { msg: first } : undefined;
  if (typeof first !== "object" || first === null || args.length > 2) return undefined;
  if (second !== undefined && typeof second !== "string") return undefined;
  return { obj: first as Record<string, unknown>, msg: second };
}

/** Whether pino would read `obj` as an HTTP request or response, or take its message from an `err` key. */
function pinoSpecialObject(obj: Record<string, unknown>): boolean {
  return Boolean(obj.method && obj.headers && obj.socket) || obj.err !== undefined;
}

/**
 * The whole JSON line (newline included) for a log call at `level` with the logger's bindings text `chindings`, or
 * undefined when the call's arguments are not plain data (pino writes those).
 */
export function plainLogLine(
  level: string,
  chindings: string,
  args: readonly unknown[],
  redacted: ReadonlySet<string>,
): string | undefined {
  const call = splitArgs(args);
  if (!call) return undefined;
  const { obj, msg } = call;
  if (obj && (!isPlainObject(obj) || pinoSpecialObject(obj) || !isPlain(obj))) return undefined;
  let line = `{"level":${JSON.stringify(level)},"time":"${new Date().toISOString()}"${chindings}`;
  for (const key of obj ? Object.keys(obj) : []) {
    const value = obj![key];
    if (value === undefined) continue;
    const text = redacted.has(key) ? CENSOR : stringifyRedacted(value, redacted);
    line += `,${quoteKey(key)}:${text}`;
  }
  if (msg !== undefined) line += `,"msg":${JSON.stringify(msg)}`;
  return `${line}}\n`;
}
