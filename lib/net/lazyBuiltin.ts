import { createRequire } from "node:module";

/**
 * A Node built-in module loaded on first use, then kept: for modules (HTTP, TLS) that cost start-up time on the paths
 * that never use them. `require` in the CommonJS bundle; createRequire (which itself costs a one-shot command
 * start-up time) only when running from the TypeScript sources.
 */
export function lazyBuiltin<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => {
    if (loaded === undefined) {
      const load = typeof require === "function" ? require : createRequire(import.meta.url);
      loaded = load(name) as T;
    }
    return loaded;
  };
}
