/** The declaration of one setting, as written in lib/config/settings/*.ts. */
export interface SettingSpec<K extends string = string, T = unknown> {
  /** Property name in the resolved config object (camelCase); becomes the literal key of the command's values type. */
  key: K;
  /** Commander flag spec, e.g. "--vault-addr <url>" or "--verify" or "--no-verify-ssl". */
  flag: string;
  /** Environment variables, first match wins. The first one is the documented name, the rest are aliases. */
  env?: readonly string[];
  /** Default value (already parsed). */
  default?: T;
  /** How --help and the README show the default when the parsed value reads badly (e.g. "10s" for 10000 ms). */
  defaultText?: string;
  /** One line for --help and the README. */
  description: string;
  /** Turns a string from a flag or environment variable into the value. Throws Error on bad input. */
  parse: (raw: string) => T;
  /** Boolean switch (flag without a value). */
  boolean?: boolean;
  /** Must have a value after resolution. */
  required?: boolean;
  /** Secret values never come from flags (argv is visible to every process on the node). */
  secret?: boolean;
  /**
   * The value names a file (or directory) that must be readable at start-up; the CLI shell checks every such setting
   * before the command runs (exit 2). Files that may appear later (rotated tokens, Vault Agent output) leave it unset.
   */
  mustExist?: "file" | "directory";
}

/**
 * One configurable setting: declared once, used for flags, environment, defaults, --help, the README table and the
 * type of the command's resolved values. `always` is true when the value is always present after resolution
 * (required, or with a default).
 */
export interface Setting<K extends string = string, T = unknown, Always extends boolean = boolean> extends SettingSpec<
  K,
  T
> {
  readonly always: Always;
}

/** Declares a setting; its key becomes a literal type and its value type is inferred from the parser and default. */
export function setting<K extends string, T>(s: SettingSpec<K, T> & { default: T }): Setting<K, T, true>;
export function setting<K extends string, T>(s: SettingSpec<K, T> & { required: true }): Setting<K, T, true>;
export function setting<K extends string, T>(s: SettingSpec<K, T>): Setting<K, T, false>;
export function setting<K extends string, T>(s: SettingSpec<K, T>): Setting<K, T> {
  return { ...s, always: s.required === true || s.default !== undefined };
}

/**
 * A required setting without a default, made optional (for a command that needs it only in some modes and checks that
 * in its validate rule).
 */
export function optionalSetting<K extends string, T>(s: Setting<K, T>): Setting<K, T, false> {
  if (s.default !== undefined) throw new Error(`setting ${s.key} has a default: it cannot be made optional`);
  return { ...s, required: false, always: false };
}

/** The settings of `list` whose key is one of `keys`, in list order (typed: the others leave the values type too). */
export function pickSettings<L extends readonly Setting[], K extends L[number]["key"]>(
  list: L,
  keys: readonly K[],
): Array<Extract<L[number], { key: K }>> {
  return list.filter((s): s is Extract<L[number], { key: K }> => (keys as readonly string[]).includes(s.key));
}

/** The settings of `list` except those whose key is one of `keys`. */
export function omitSettings<L extends readonly Setting[], K extends L[number]["key"]>(
  list: L,
  keys: readonly K[],
): Array<Exclude<L[number], { key: K }>> {
  return list.filter((s): s is Exclude<L[number], { key: K }> => !(keys as readonly string[]).includes(s.key));
}

/** The value type of one setting. */
export type ValueOf<S> = S extends Setting<string, infer T> ? T : never;

type Flatten<T> = { [K in keyof T]: T[K] };

/**
 * The resolved values of a list of settings: one property per key; required or defaulted settings are non-optional,
 * the others optional.
 */
export type ValuesOf<L extends readonly Setting[]> = Flatten<
  { [S in L[number] as S["always"] extends true ? S["key"] : never]: ValueOf<S> } & {
    [S in L[number] as S["always"] extends true ? never : S["key"]]?: ValueOf<S>;
  }
>;
