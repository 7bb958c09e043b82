/**
 * A Node built-in module loaded on first use, then kept: for modules (HTTP, TLS) that cost start-up time on the paths
 * that never use them. `require` in the CommonJS bundle; createRequire only when running from the TypeScript sources,
 * taken through process.getBuiltinModule (Node 20.16+) so that the bundle does not load node:module (and the ES module
 * loader parts it brings) on every start.
 */
export function lazyBuiltin<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => {
    if (loaded === undefined) {
      const load =
        typeof require === "function"
          ? require
          : process.getBuiltinModule("node:module").createRequire(import.meta.url);
      loaded = load(name) as T;
    }
    return loaded;
  };
}
