import { expect } from "chai";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDockerfile, type Stage } from "../../support/parseDockerfile.js";

// No container engine or registry is reachable on the project's machines, so the image cannot be built in tests.
// These checks read the Dockerfile as the builder would and tie it to what `npm run build` really produces.

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

const dockerfile = parseDockerfile(readFileSync(join(ROOT, "Dockerfile"), "utf8"));
const build = dockerfile.stages[0]!;
const runtime = dockerfile.stages[dockerfile.stages.length - 1]!;
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { license: string; scripts: Record<string, string> };
const ignored = readFileSync(join(ROOT, ".dockerignore"), "utf8")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"));

/** Context paths the build stage copies (COPY without --from), e.g. ["package.json", "package-lock.json", "cli"]. */
function copiedFromContext(stage: Stage): string[] {
  return stage.steps
    .filter((s) => s.op === "COPY" && !/--from=/.test(s.args))
    .flatMap((s) => s.args.split(/\s+/).filter((a) => !a.startsWith("--")).slice(0, -1));
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("Dockerfile", () => {
  it("builds on node:24-bookworm-slim and runs on distroless nodejs24 (Node 24 LTS, no npm, no shell)", () => {
    expect(dockerfile.stages).to.have.length(2);
    expect(build.name).to.equal("build");
    expect(build.from).to.equal("node:24-bookworm-slim");
    expect(runtime.from).to.equal("gcr.io/distroless/nodejs24-debian12:nonroot");
  });

  it("installs with npm ci and bundles with the same script as `npm run build`", () => {
    const runs = build.steps.filter((s) => s.op === "RUN").map((s) => s.args);
    expect(runs).to.deep.equal(["npm ci --ignore-scripts --no-audit --no-fund", "node scripts/bundleCli.mjs"]);
    expect(pkg.scripts.build).to.match(/&& node scripts\/bundleCli\.mjs$/);
  });

  it("runs as a non-root numeric user with an exec-form ENTRYPOINT on the bundle, copying only dist/bin/", () => {
    const users = runtime.steps.filter((s) => s.op === "USER").map((s) => s.args);
    expect(users.at(-1)).to.match(/^65532(:65532)?$/);
    expect(runtime.steps.filter((s) => s.op === "RUN"), "the runtime stage needs no shell").to.deep.equal([]);
    const entrypoint = runtime.steps.filter((s) => s.op === "ENTRYPOINT").map((s) => JSON.parse(s.args) as string[]);
    expect(entrypoint).to.deep.equal([["/nodejs/bin/node", "/app/iamra-vault.cjs"]]);
    const copies = runtime.steps.filter((s) => s.op === "COPY").map((s) => s.args.split(/\s+/).filter((a) => !a.startsWith("--")));
    expect(copies).to.deep.equal([["/src/dist/bin/", "/app/"]]);
  });

  it("ships what `npm run build` emits: dist/bin/iamra-vault.cjs with its lazily loaded parts", () => {
    expect(existsSync(join(ROOT, "dist/bin/iamra-vault.cjs")), "npm test builds dist/ first").to.equal(true);
    expect(readdirSync(join(ROOT, "dist/bin")).every((f) => f.endsWith(".cjs"))).to.equal(true);
  });

  it("copies every source directory the CLI imports, and .dockerignore excludes none of them", () => {
    const copied = copiedFromContext(build).map((p) => p.replace(/\/$/, ""));
    expect(copied).to.include.members(["package.json", "package-lock.json", "tsconfig.json", "scripts/bundleCli.mjs", "cli", "lib"]);
    const dirs = copied.filter((p) => statSync(join(ROOT, p)).isDirectory());
    for (const dir of dirs) {
      for (const file of tsFiles(join(ROOT, dir))) {
        for (const m of readFileSync(file, "utf8").matchAll(/from\s+"(\.\.?\/[^"]+)"/g)) {
          const target = relative(ROOT, resolve(dirname(file), m[1]!)).split("/")[0]!;
          expect(dirs, `${relative(ROOT, file)} imports ${m[1]} (outside the build context)`).to.include(target);
        }
      }
    }
    for (const p of copied) expect(ignored, `.dockerignore excludes ${p}`).to.not.include(p);
    expect(ignored).to.include.members(["node_modules", "dist", ".git"]);
  });

  it("labels the image with OCI title, version and the package's license", () => {
    const labels = runtime.steps.filter((s) => s.op === "LABEL").map((s) => s.args).join(" ");
    expect(labels).to.match(/org\.opencontainers\.image\.title="iamra-vault"/);
    expect(labels).to.match(/org\.opencontainers\.image\.version=/);
    expect(labels).to.include(`org.opencontainers.image.licenses="${pkg.license}"`);
  });
});
