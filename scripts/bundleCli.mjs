#!/usr/bin/env node
// Bundles the product CLI (cli/main.ts) into dist/bin/: iamra-vault.cjs plus one file per lazily imported module.
// This folder is what the package and the image ship, and it needs no node_modules. Start-up time is mostly module
// loading, so:
//  - the output is CommonJS (Node loads one CommonJS file faster than the same code as many ES modules);
//  - every dynamic `import()` (the command bodies, the Vault pipeline, @aws-sdk/client-sts, PKCS#12) becomes its
//    own file, loaded only when that path runs, so a command parses only the code it uses. New dynamic imports are
//    found by the build itself: it rebuilds until the set of lazy modules stops growing. A synchronous `require()` in
//    the project's own source (pino in lib/log.ts, needed on the first log line) becomes its own file the same way.
// The development tools (devstack, demo) are not part of it; they run from tsc's output (dist/devstack/).
// Usage: node scripts/bundleCli.mjs   (npm run build runs it after tsc)
import { build } from "esbuild";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "dist", "bin");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

/** Lazy modules found so far: absolute resolved path -> output file name (without extension). */
const lazy = new Map();

function lazyName(path) {
  const nm = path.lastIndexOf("node_modules/");
  const name =
    nm >= 0
      ? path
          .slice(nm + "node_modules/".length)
          .split("/")
          .slice(0, path.includes("node_modules/@") ? 2 : 1)
          .join("-")
      : basename(path, extname(path));
  return name.replace(/^@/, "").replace(/[^A-Za-z0-9_-]/g, "-");
}

/** Turns each dynamic import into an external require of its own bundle, recording modules not seen before. */
const splitDynamicImports = (found) => ({
  name: "split-dynamic-imports",
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === "inner") return undefined;
      const ownRequire = args.kind === "require-call" && !args.importer.includes("/node_modules/");
      if (args.kind !== "dynamic-import" && !ownRequire) return undefined;
      const { kind, resolveDir, importer } = args;
      const r = await b.resolve(args.path, { kind, resolveDir, importer, pluginData: "inner" });
      if (r.errors.length > 0) return { errors: r.errors };
      // Node built-ins stay plain imports
      if (r.external || !r.path.startsWith("/")) return { path: args.path, external: true };
      if (!lazy.has(r.path)) found.add(r.path);
      const name = lazy.get(r.path) ?? lazyName(r.path);
      return { path: `./${name}.cjs`, external: true };
    });
  },
});

async function bundle() {
  const found = new Set();
  const entryPoints = [{ in: join(root, "cli", "main.ts"), out: "iamra-vault" }];
  for (const [path, name] of lazy) entryPoints.push({ in: path, out: name });
  const result = await build({
    entryPoints,
    outdir,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outExtension: { ".js": ".cjs" },
    // import() of a lazy module becomes require(): a dynamic import would start Node's ES module loader for one file
    supported: { "dynamic-import": false },
    // import.meta.url as CommonJS knows it (file URL of the bundle file that uses it), computed when first read:
    // most runs never read it, and pathToFileURL in every file's banner costs start-up time
    define: { IAMRA_VERSION: JSON.stringify(pkg.version), "import.meta": "__bundleMeta" },
    banner: {
      js: '"use strict"; var __bundleMeta = { get url() { return require("node:url").pathToFileURL(__filename).href; } };',
    },
    plugins: [splitDynamicImports(found)],
    legalComments: "none",
    logLevel: "warning",
    metafile: true,
    write: false,
  });
  return { result, found };
}

let pass;
for (let i = 0; ; i++) {
  pass = await bundle();
  const fresh = [...pass.found].filter((p) => !lazy.has(p));
  if (fresh.length === 0) break;
  if (i > 10) throw new Error(`lazy modules keep appearing: ${fresh.join(", ")}`);
  for (const p of fresh) {
    const name = lazyName(p);
    if ([...lazy.values()].includes(name)) throw new Error(`two lazy modules would be written as ${name}.cjs`);
    lazy.set(p, name);
  }
}

// Replace the previous bundle: files of lazy modules that no longer exist must not linger in what ships.
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
for (const file of pass.result.outputFiles) writeFileSync(file.path, file.contents);
const main = join(outdir, "iamra-vault.cjs");
if (!readFileSync(main, "utf8").startsWith("#!/usr/bin/env node\n")) throw new Error(`${main} has no shebang`);
chmodSync(main, 0o755);
const sizes = pass.result.outputFiles.map(
  (f) => `${relative(outdir, f.path)} ${Math.round(f.contents.length / 1024)} kB`,
);
process.stderr.write(`bundled dist/bin/: ${sizes.join(", ")}\n`);
