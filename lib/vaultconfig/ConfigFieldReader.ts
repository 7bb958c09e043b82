import { parseDurationMs } from "../config/parsers.js";

type Obj = Record<string, unknown>;

/** Options shared by the typed getters: required, or else the default to use when the key is missing. */
interface FieldOptions<T> {
  required?: boolean;
  default?: T;
}

/**
 * Reads typed fields out of parsed YAML while collecting every problem with its path
 * (e.g. `bindings[1].serviceAccounts[0].namespace: required`), so a config reports all its errors at once.
 */
export class ConfigFieldReader {
  readonly problems: string[] = [];

  /** Records a problem at `path`. */
  problem(path: string, message: string): void {
    this.problems.push(path ? `${path}: ${message}` : message);
  }

  /** The child path of `key` under `path`. */
  static join(path: string, key: string | number): string {
    if (typeof key === "number") return `${path}[${key}]`;
    return path ? `${path}.${key}` : key;
  }

  /** A mapping, or undefined (problem recorded when required or of the wrong type); unknown keys are problems. */
  object(parent: Obj, key: string, path: string, allowed: readonly string[], required = false): Obj | undefined {
    const p = ConfigFieldReader.join(path, key);
    const value = parent[key];
    if (value === undefined || value === null) {
      if (required) this.problem(p, "required");
      return undefined;
    }
    return this.asObject(value, p, allowed);
  }

  /** Checks that `value` is a mapping with only `allowed` keys. */
  asObject(value: unknown, path: string, allowed: readonly string[]): Obj | undefined {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.problem(path, "must be a mapping");
      return undefined;
    }
    for (const k of Object.keys(value)) {
      if (!allowed.includes(k))
        this.problem(ConfigFieldReader.join(path, k), `unknown key (allowed: ${allowed.join(", ")})`);
    }
    return value as Obj;
  }

  /** A sequence (each element is checked by the caller). */
  array(parent: Obj, key: string, path: string, opts: { required?: boolean; minItems?: number } = {}): unknown[] {
    const p = ConfigFieldReader.join(path, key);
    const value = parent[key];
    if (value === undefined || value === null) {
      if (opts.required) this.problem(p, "required");
      return [];
    }
    if (!Array.isArray(value)) {
      this.problem(p, "must be a list");
      return [];
    }
    if (opts.minItems !== undefined && value.length < opts.minItems)
      this.problem(p, `must have at least ${opts.minItems} item(s)`);
    return value;
  }

  /** A non-empty string, optionally matching `pattern` (described by `patternText`). */
  string(
    parent: Obj,
    key: string,
    path: string,
    opts: FieldOptions<string> & { pattern?: RegExp; patternText?: string } = {},
  ): string | undefined {
    const p = ConfigFieldReader.join(path, key);
    const value = parent[key];
    if (value === undefined || value === null) {
      if (opts.required) this.problem(p, "required");
      return opts.default;
    }
    if (typeof value !== "string" || value.trim() === "") {
      this.problem(p, "must be a non-empty string");
      return opts.default;
    }
    if (opts.pattern && !opts.pattern.test(value)) {
      this.problem(p, `"${value}" is not valid (${opts.patternText ?? opts.pattern.source})`);
      return opts.default;
    }
    return value;
  }

  /** One of `values`. */
  oneOf<T extends string>(
    parent: Obj,
    key: string,
    path: string,
    values: readonly T[],
    opts: FieldOptions<T> = {},
  ): T | undefined {
    const p = ConfigFieldReader.join(path, key);
    const value = parent[key];
    if (value === undefined || value === null) {
      if (opts.required) this.problem(p, "required");
      return opts.default;
    }
    if (!values.includes(value as T)) {
      this.problem(p, `must be one of ${values.join(", ")} (got ${JSON.stringify(value)})`);
      return opts.default;
    }
    return value as T;
  }

  /** A boolean. */
  bool(parent: Obj, key: string, path: string, fallback: boolean): boolean {
    const value = parent[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== "boolean") {
      this.problem(ConfigFieldReader.join(path, key), "must be true or false");
      return fallback;
    }
    return value;
  }

  /** A whole number within [min, max]. */
  int(
    parent: Obj,
    key: string,
    path: string,
    min: number,
    max: number,
    opts: FieldOptions<number> = {},
  ): number | undefined {
    const p = ConfigFieldReader.join(path, key);
    const value = parent[key];
    if (value === undefined || value === null) {
      if (opts.required) this.problem(p, "required");
      return opts.default;
    }
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      this.problem(p, `must be a whole number in ${min}..${max} (got ${JSON.stringify(value)})`);
      return opts.default;
    }
    return value;
  }

  /** A duration ("15m", "1h30m", or a number of seconds), returned in whole seconds (> 0). */
  durationSec(parent: Obj, key: string, path: string, opts: FieldOptions<number> = {}): number | undefined {
    const p = ConfigFieldReader.join(path, key);
    const value = parent[key];
    if (value === undefined || value === null) {
      if (opts.required) this.problem(p, "required");
      return opts.default;
    }
    try {
      const ms = parseDurationMs(String(value));
      if (ms <= 0 || ms % 1000 !== 0) throw new Error(`"${value}" must be a positive whole number of seconds`);
      return ms / 1000;
    } catch (err) {
      this.problem(p, (err as Error).message);
      return opts.default;
    }
  }

  /** A list of non-empty strings (a single string is accepted as a one-item list). */
  stringList(parent: Obj, key: string, path: string, opts: { pattern?: RegExp; patternText?: string } = {}): string[] {
    const p = ConfigFieldReader.join(path, key);
    const raw = parent[key];
    if (raw === undefined || raw === null) return [];
    const items = Array.isArray(raw) ? raw : [raw];
    const out: string[] = [];
    items.forEach((item, i) => {
      if (typeof item !== "string" || item.trim() === "")
        this.problem(ConfigFieldReader.join(p, i), "must be a non-empty string");
      else if (opts.pattern && !opts.pattern.test(item))
        this.problem(
          ConfigFieldReader.join(p, i),
          `"${item}" is not valid (${opts.patternText ?? opts.pattern.source})`,
        );
      else out.push(item);
    });
    return out;
  }
}
