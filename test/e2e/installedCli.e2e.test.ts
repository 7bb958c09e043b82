import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startDevstack, type Devstack } from "../../devstack/startDevstack.js";
import { throwawayCredentialProcessArgs } from "../../devstack/throwawayCredentialProcessArgs.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** `npm pack` (prepack builds), then `npm install -g --prefix <tmp>` of the tarball, as on a VM or a laptop. */
describe("the packed CLI installed with npm install -g (end to end)", function () {
  this.timeout(240_000);
  let dir: string;
  let tarball: string;
  let bin: string;
  let stack: Devstack;
  // the Node running the tests first on PATH: the bin's `#!/usr/bin/env node` then runs on it (Node 20 or Node 24)
  const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}` };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-installed-"));
    const packed = await run("npm", ["pack", "--json", "--pack-destination", dir], {
      cwd: ROOT,
      env,
      maxBuffer: 1 << 24,
    });
    const info = (JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as Array<{ filename: string }>)[0]!;
    tarball = join(dir, info.filename);
    await run("npm", ["install", "-g", "--prefix", join(dir, "prefix"), "--no-audit", "--no-fund", tarball], { env });
    bin = join(dir, "prefix", "bin", "iamra-vault");
    stack = await startDevstack({ portBase: 0, dir: join(dir, "ds"), tps: 1000 });
  });
  after(async () => {
    await stack?.close();
  });

  it("ships exactly the bundle (dist/bin/*.cjs), package.json and the README, and no dependencies", async () => {
    const listed = await run("tar", ["-tzf", tarball]);
    const files = listed.stdout
      .trim()
      .split("\n")
      .map((f) => f.replace(/^package\//, ""))
      .sort();
    const built = (await readdir(join(ROOT, "dist", "bin"))).map((f) => `dist/bin/${f}`);
    const expected = [...built, "README.md", "package.json", ...files.filter((f) => /^LICEN[CS]E/.test(f))].sort();
    expect(files).to.deep.equal(expected);
    expect(files.some((f) => f.includes("devstack"))).to.equal(false);
    const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as Record<string, unknown>;
    expect(pkg.dependencies, "the bundle needs no node_modules").to.equal(undefined);
    expect((pkg.scripts as Record<string, string>).prepack).to.equal("npm run build");
  });

  it("installs an executable iamra-vault that prints its version and has no devstack command", async () => {
    const target = join(dir, "prefix", "lib", "node_modules", "iamra-vault", "dist", "bin", "iamra-vault.cjs");
    expect((await stat(target)).mode & 0o111, "the bin is executable").to.not.equal(0);
    const { version } = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { version: string };
    const v = await run(bin, ["--version"], { env });
    expect(v.stdout.trim()).to.equal(version);
    const help = await run(bin, ["--help"], { env });
    expect(help.stdout).to.contain("credential-process");
    expect(help.stdout).not.to.contain("devstack");
  });

  it("runs credential-process against the devstack's Roles Anywhere with the throwaway certificate", async () => {
    const t = stack.info.throwaway;
    const out = await run(bin, throwawayCredentialProcessArgs(stack.info), { env });
    const creds = JSON.parse(out.stdout) as Record<string, unknown>;
    expect(creds.Version).to.equal(1);
    expect(creds.AccessKeyId).to.match(/^ASIA/);
    expect(Date.parse(creds.Expiration as string)).to.be.greaterThan(Date.now());
    // the stand-in recorded exactly this session: the key it issued is the one printed
    expect(stack.sessions.lookup(creds.AccessKeyId as string)?.roleArn).to.equal(t.roleArn);
  });
});
