import { expect } from "chai";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { chmod, chown, cp, mkdir, mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parse } from "ini";
import { GetCallerIdentityCommand, STSClient, type STSClientConfig } from "@aws-sdk/client-sts";
import { fromHttp, fromIni } from "@aws-sdk/credential-providers";
import { startDevstack, type Devstack } from "../../devstack/startDevstack.js";
import { podEnvironment } from "../../devstack/podEnvironment.js";
import { parseDockerfile, runtimeImage, stageWorkdir } from "../support/parseDockerfile.js";
import { jsonLines, runCli, type CliSpawnOptions } from "../support/runCli.js";
import { startCli, type RunningCli } from "../support/startCli.js";
import { peers } from "../support/peers.js";

// No container engine runs on the project's machines, so the image is reproduced as a folder: exactly the files the
// Dockerfile's runtime stage copies, read-only, run with the image's ENV, WORKDIR, USER and ENTRYPOINT and nothing
// else in the environment (no PATH, no HOME, no node_modules anywhere above it).

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const stages = parseDockerfile(readFileSync(join(ROOT, "Dockerfile"), "utf8")).stages;
const image = runtimeImage(stages);
const runtimeFrom = stages[stages.length - 1]!.from;

/** Every file under `dir` (relative paths, sorted) with the SHA-256 of its content. */
async function fileHashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = join(e.parentPath, e.name);
    out[relative(dir, p)] = createHash("sha256")
      .update(await readFile(p))
      .digest("hex");
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** Copies each `COPY --from=build` source (the build stage's WORKDIR stands for the repository) to `root`. */
async function stageImageFiles(root: string): Promise<void> {
  const buildDir = stageWorkdir(stages, "build");
  for (const c of image.copies) {
    expect(c.fromStage, "the runtime stage copies from the build stage only").to.equal("build");
    const inRepo = relative(buildDir, c.source);
    expect(inRepo.startsWith(".."), `${c.source} lies under the build stage's WORKDIR ${buildDir}`).to.equal(false);
    // Docker copies a directory's contents into the destination, as fs.cp does
    await cp(join(ROOT, inRepo), join(root, c.destination), { recursive: true });
  }
}

describe("the image's file set run from a clean, read-only folder (end to end)", function () {
  this.timeout(120_000);
  let stack: Devstack;
  let work: string;
  let root: string;
  let shipped: Record<string, string>;
  const started: RunningCli[] = [];
  const { uid, gid } = image.user;
  const asImageUser = process.getuid?.() === 0 ? { uid, gid } : {};

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "iamra-image-files-"));
    await chmod(work, 0o755); // the image's user enters it to reach its token and output folders
    root = join(work, "rootfs");
    await stageImageFiles(root);
    await run("chmod", ["-R", "a-w", root]);
    shipped = await fileHashes(root);
    stack = await startDevstack({ portBase: 0, dir: join(work, "devstack"), tps: 1000 });
  });
  after(async () => {
    for (const c of started) c.kill();
    await Promise.all(started.map((c) => c.exited));
    await stack?.close();
  });

  it("holds exactly the bundle that `npm run build` emits: no node_modules, no package.json", async () => {
    const bundle = (await readdir(join(ROOT, "dist", "bin"))).sort();
    const appDir = relative("/", image.workdir);
    expect(Object.keys(shipped)).to.deep.equal(bundle.map((f) => join(appDir, f)).sort());
    expect(image.entrypoint.slice(1), "the ENTRYPOINT runs a file of the set").to.deep.equal([
      `/${join(appDir, "iamra-vault.cjs")}`,
    ]);
    expect((await stat(join(root, appDir, "iamra-vault.cjs"))).mode & 0o222, "read-only").to.equal(0);
  });

  it("runs on the peer Node whose major is the runtime image's", async () => {
    const major = /nodejs(\d+)/.exec(runtimeFrom)?.[1];
    expect(major, `a Node major in ${runtimeFrom}`).to.not.equal(undefined);
    const { stdout } = await run(peers.node24, ["--version"]);
    expect(stdout.trim().split(".")[0]).to.equal(`v${major}`);
  });

  const runtimes = [
    { name: "Node 24 (the image's)", node: () => peers.node24 },
    { name: "Node 20", node: () => process.execPath },
  ];
  let n = 0;

  for (const rt of runtimes) {
    describe(`on ${rt.name}, as the image's user`, () => {
      /** A token file and an output folder owned by the image's user (the pod's writable volume). */
      async function scene() {
        const dir = join(work, `scene-${++n}`);
        const out = join(dir, "out");
        await mkdir(out, { recursive: true });
        await chmod(dir, 0o755);
        if (asImageUser.uid !== undefined) await chown(out, uid, gid);
        const tokenFile = join(dir, "token");
        await writeFile(tokenFile, stack.tokenReview.mintToken({ namespace: "demo", serviceAccount: "app" }), {
          mode: 0o644,
        });
        const spawnOpts: CliSpawnOptions = {
          node: rt.node(),
          cli: join(root, image.entrypoint[1]!),
          cwd: join(root, image.workdir),
          baseEnv: {},
          env: { ...image.env, ...podEnvironment(stack.info, tokenFile) },
          ...asImageUser,
        };
        return { dir, out, spawnOpts };
      }

      /** GetCallerIdentity on the STS stand-in with `credentials`; returns the ARN and the key STS saw. */
      async function callerIdentity(credentials: STSClientConfig["credentials"]) {
        const from = stack.sts.requests.length;
        const client = new STSClient({ region: "us-east-1", endpoint: stack.info.sts.endpoint, credentials });
        try {
          const who = await client.send(new GetCallerIdentityCommand({}));
          const seen = stack.sts.requests.slice(from).map((r) => [r.action, r.status, r.accessKeyId]);
          return { arn: who.Arn, seen };
        } finally {
          client.destroy();
        }
      }

      it("init writes credentials that the JS SDK then uses against STS", async () => {
        const s = await scene();
        const res = await runCli(["init", "--output-dir", s.out], s.spawnOpts);
        expect(res.stderr).to.equal("");
        expect(res.code, res.stdout).to.equal(0);
        expect(jsonLines(res.stdout).map((l) => l.msg)).to.include("credentials written");
        const path = join(s.out, "credentials");
        expect((await stat(path)).uid, "written by the image's user").to.equal(asImageUser.uid ?? process.getuid?.());
        const key = (parse(await readFile(path, "utf8")) as Record<string, Record<string, string>>).default!
          .aws_access_key_id!;
        const session = stack.sessions.lookup(key);
        expect(session, "a session issued by the Roles Anywhere stand-in").to.not.equal(undefined);
        const who = await callerIdentity(fromIni({ filepath: path, configFilepath: join(s.dir, "none") }));
        expect(who.arn).to.equal(session!.assumedRoleArn);
        expect(who.seen).to.deep.equal([["GetCallerIdentity", 200, key]]);
        expect(await fileHashes(root), "the file set is unchanged").to.deep.equal(shipped);
      });

      it("refresher serves the container endpoint that the JS SDK then uses against STS", async () => {
        const s = await scene();
        const cli = startCli(
          ["refresher", "--output-dir", s.out, "--endpoint-port", "0", "--ops-port", "0", "--ops-host", "127.0.0.1"],
          s.spawnOpts,
        );
        started.push(cli);
        const line = await cli.waitFor((l) => l.msg === "refresher started", { timeoutMs: 30_000, what: "start" });
        const endpoint = line.credentialsEndpoint as string;
        const tokenFile = line.tokenFile as string;
        expect(endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+\/credentials$/);
        const who = await callerIdentity(
          fromHttp({ awsContainerCredentialsFullUri: endpoint, awsContainerAuthorizationTokenFile: tokenFile }),
        );
        const key = who.seen[0]?.[2] as string;
        const session = stack.sessions.lookup(key);
        expect(session?.roleArn, "a key the Roles Anywhere stand-in issued").to.equal(stack.info.rolesAnywhere.roleArn);
        expect(who.arn).to.equal(session!.assumedRoleArn);
        expect(who.seen).to.deep.equal([["GetCallerIdentity", 200, key]]);
        expect((await stat(tokenFile)).uid, "endpoint token written by the image's user").to.equal(
          asImageUser.uid ?? process.getuid?.(),
        );
        expect(await cli.stop(), "clean shutdown on SIGTERM").to.deep.equal({ code: 0, signal: null });
        expect(cli.stderr()).to.equal("");
        expect(await fileHashes(root), "the file set is unchanged").to.deep.equal(shipped);
      });
    });
  }
});
