/** One configurable setting: declared once, used for flags, environment, defaults, --help and the README table. */
export interface Setting<T = unknown> {
  /** Property name in the resolved config object (camelCase). */
  key: string;
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
}

/** Declares a setting with its value type inferred from the parser. */
export function setting<T>(s: Setting<T>): Setting<T> {
  return s;
}

/** The object type produced by resolving a list of settings. */
export type SettingsValues = Record<string, unknown>;
