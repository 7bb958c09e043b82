import { expect } from "chai";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// No container engine or registry is reachable on the project's machines, so the image cannot be built in tests.
// These checks read the Dockerfile as the builder would and tie it to what `npm run build` really produces.

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  from: string;
  name?: string;
  steps: Instruction[];
}

/** Splits a Dockerfile into stages of instructions (comments dropped, backslash continuations joined). */
function parseDockerfile(text: string): { args: Map<string, string>; stages: Stage[] } {
  const logical: string[] = [];
  let current = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (current === "" && (line === "" || line.startsWith("#"))) continue;
    if (current !== "" && line.startsWith("#")) continue;
    if (line.endsWith("\\")) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(current + line);
    current = "";
  }
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const l of logical) {
    const m = /^(\w+)\s+(.*)$/.exec(l);
    if (!m) continue;
    const op = m[1]!.toUpperCase();
    const rest = m[2]!.trim();
    if (op === "FROM") {
      const f = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest)!;
      stages.push({ from: f[1]!.replace(/\$\{(\w+)\}/g, (_, k: string) => args.get(k) ?? ""), name: f[2], steps: [] });
    } else if (stages.length === 0 && op === "ARG") {
      const [k, v] = rest.split("=");
      args.set(k!, v ?? "");
    } else if (stages.length > 0) {
      stages[stages.length - 1]!.steps.push({ op, args: rest });
    }
  }
  return { args, stages };
}

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
  it("has a build stage and a runtime stage on node:20-bookworm-slim (or distroless nodejs20)", () => {
    expect(dockerfile.stages).to.have.length(2);
    expect(build.name).to.equal("build");
    for (const s of dockerfile.stages) expect(s.from).to.match(/^(node:20-bookworm-slim|gcr\.io\/distroless\/nodejs20-debian12(:\S+)?)$/);
  });

  it("builds with npm ci, npm run build and npm prune --omit=dev, in that order", () => {
    const runs = build.steps.filter((s) => s.op === "RUN").map((s) => s.args).join(" && ");
    const at = (cmd: RegExp) => runs.search(cmd);
    expect(at(/npm ci\b/)).to.be.at.least(0);
    expect(at(/npm run build\b/)).to.be.above(at(/npm ci\b/));
    expect(at(/npm prune --omit=dev\b/)).to.be.above(at(/npm run build\b/));
    expect(pkg.scripts.build).to.match(/^tsc -p tsconfig\.json$/);
  });

  it("runs as a non-root numeric user with an exec-form ENTRYPOINT on dist/cli/main.js, without RUN", () => {
    const users = runtime.steps.filter((s) => s.op === "USER").map((s) => s.args);
    expect(users.at(-1)).to.match(/^65532(:65532)?$/);
    expect(runtime.steps.filter((s) => s.op === "RUN"), "the runtime stage needs no shell").to.deep.equal([]);
    const entrypoint = runtime.steps.filter((s) => s.op === "ENTRYPOINT").map((s) => JSON.parse(s.args) as string[]);
    expect(entrypoint).to.deep.equal([["node", "/app/dist/cli/main.js"]]);
    const workdir = runtime.steps.filter((s) => s.op === "WORKDIR").map((s) => s.args).at(-1);
    const copies = runtime.steps.filter((s) => s.op === "COPY" && /--from=build\b/.test(s.args)).map((s) => s.args.split(/\s+/).slice(-2));
    const dest = (src: string) => copies.find(([from]) => from === src)?.[1];
    expect(resolve(workdir!, dest("/app/dist")!)).to.equal("/app/dist");
    expect(resolve(workdir!, dest("/app/package.json")!), "main.js reads ../../package.json").to.equal("/app/package.json");
    expect(resolve(workdir!, dest("/app/node_modules")!)).to.equal("/app/node_modules");
  });

  it("ENTRYPOINT's dist/cli/main.js is what `npm run build` emits (tsconfig outDir/rootDir, cli/main.ts)", () => {
    const tsconfig = JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8")) as { compilerOptions: { outDir: string; rootDir: string } };
    expect(tsconfig.compilerOptions.outDir).to.equal("dist");
    expect(tsconfig.compilerOptions.rootDir).to.equal(".");
    expect(existsSync(join(ROOT, "cli/main.ts"))).to.equal(true);
    expect(existsSync(join(ROOT, "dist/cli/main.js")), "npm test builds dist/ first").to.equal(true);
  });

  it("copies every source directory the CLI imports, and .dockerignore excludes none of them", () => {
    const copied = copiedFromContext(build).map((p) => p.replace(/\/$/, ""));
    expect(copied).to.include.members(["package.json", "package-lock.json", "tsconfig.json", "cli", "lib"]);
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
