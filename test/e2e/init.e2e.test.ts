import { expect } from "chai";
import { spawn } from "node:child_process";
import { readFile, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "ini";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromIni } from "@aws-sdk/credential-providers";
import type { Devstack } from "../../devstack/startDevstack.js";
import { jsonLines, runCli } from "../support/runCli.js";
import { runAwsCli } from "../support/runAwsCli.js";
import { peers } from "../support/peers.js";
import { expectNoSecrets, initDevstack, PRECIOUS } from "./initDevstack.js";
describe("iamra-vault init (end to end on the devstack)", function () {
  this.timeout(60_000);
  const devstack = initDevstack();
  const scene = devstack.scene;
  let stack: Devstack;
  before(() => (stack = devstack.stack));

  it("logs in, gets a certificate, creates a session and writes a credentials file the JS SDK, botocore and the AWS CLI use", async () => {
    const s = await scene();
    const run = await runCli(["init", "--verify", "--sts-endpoint", stack.info.sts.endpoint], { env: s.env });
    expect(run.stderr).to.equal("");
    expect(run.code).to.equal(0);

    const path = join(s.out, "credentials");
    expect((await stat(path)).mode & 0o777).to.equal(0o640);
    const doc = parse(await readFile(path, "utf8")) as Record<string, Record<string, string>>;
    expect(Object.keys(doc)).to.deep.equal(["default"]);
    const session = stack.sessions.lookup(doc.default!.aws_access_key_id!);
    expect(session, "credentials issued by the Roles Anywhere stand-in").to.not.equal(undefined);
    expect(doc.default!.aws_secret_access_key).to.equal(session!.secretAccessKey);
    expect(doc.default!.aws_session_token).to.equal(session!.sessionToken);
    expect(session!.tags["x509SAN/URI"]).to.equal("spiffe://cluster.local/ns/demo/sa/app");

    const logs = jsonLines(run.stdout);
    expect(logs.length).to.be.greaterThan(3);
    expect(logs.map((l) => l.msg)).to.include.members([
      "vault login succeeded",
      "certificate issued",
      "session created",
      "credentials written",
      "credentials verified with sts",
    ]);
    expect(logs.find((l) => l.msg === "credentials verified with sts")!.arn).to.equal(session!.assumedRoleArn);
    expectNoSecrets(run, [s.token, session!.secretAccessKey, session!.sessionToken]);

    const before = stack.sts.requests.length;
    const client = new STSClient({
      region: "us-east-1",
      endpoint: stack.info.sts.endpoint,
      credentials: fromIni({ filepath: path, configFilepath: join(s.dir, "none"), profile: "default" }),
    });
    const who = await client.send(new GetCallerIdentityCommand({}));
    client.destroy();
    expect(who.Arn).to.equal(session!.assumedRoleArn);

    const py = await python(
      `import boto3\nprint(boto3.client("sts", endpoint_url="${stack.info.sts.endpoint}", region_name="us-east-1").get_caller_identity()["Arn"])`,
      { AWS_SHARED_CREDENTIALS_FILE: path, AWS_CONFIG_FILE: join(s.dir, "none"), HOME: s.dir },
    );
    expect(py.stderr).to.equal("");
    expect(py.stdout.trim()).to.equal(session!.assumedRoleArn);
    const cli = await runAwsCli(
      [
        "sts",
        "get-caller-identity",
        "--endpoint-url",
        stack.info.sts.endpoint,
        "--region",
        "us-east-1",
        "--output",
        "json",
      ],
      {
        AWS_SHARED_CREDENTIALS_FILE: path,
        AWS_CONFIG_FILE: join(s.dir, "none"),
        HOME: s.dir,
      },
    );
    expect(cli.stderr).to.equal("");
    expect((JSON.parse(cli.stdout) as { Arn: string }).Arn).to.equal(session!.assumedRoleArn);
    expect(stack.sts.requests.slice(before).map((r) => [r.action, r.status, r.accessKeyId])).to.deep.equal([
      ["GetCallerIdentity", 200, session!.accessKeyId],
      ["GetCallerIdentity", 200, session!.accessKeyId],
      ["GetCallerIdentity", 200, session!.accessKeyId],
    ]);
  });

  it("creates a missing output directory (mode 0750, like mkdir -p) and writes the credentials into it", async () => {
    const s = await scene();
    const out = join(s.dir, "not", "there", "yet");
    const run = await runCli(["init", "--output-dir", out], { env: { ...s.env, IAMRA_LOG_LEVEL: "warn" } });
    expect(run.code, run.stderr).to.equal(0);
    expect((await stat(out)).mode & 0o777).to.equal(0o750 & ~process.umask());
    expect((await stat(join(out, "credentials"))).mode & 0o777).to.equal(0o640);
  });

  it("never writes the private key: the output and temp directories hold no key material", async () => {
    const s = await scene();
    const run = await runCli(["init", "--write-config", "--write-process-json"], { env: s.env });
    expect(run.code).to.equal(0);
    expect((await readdir(s.out)).sort()).to.deep.equal([
      "config",
      "credential-process.json",
      "credentials",
      "iamra-state.json",
    ]);
    expect(await readdir(s.tmp)).to.deep.equal([]);
    for (const f of await readdir(s.out))
      expect(await readFile(join(s.out, f), "utf8")).to.not.match(/PRIVATE KEY|BEGIN /);
    expect(run.stdout).to.not.match(/PRIVATE KEY/);
    const processJson = JSON.parse(await readFile(join(s.out, "credential-process.json"), "utf8")) as Record<
      string,
      unknown
    >;
    expect(processJson.Version).to.equal(1);
  });

  it("keeps other profiles of an existing credentials file on a second init", async () => {
    const s = await scene({ existing: PRECIOUS });
    expect((await runCli(["init"], { env: s.env })).code).to.equal(0);
    expect((await runCli(["init"], { env: s.env })).code).to.equal(0);
    const text = await readFile(join(s.out, "credentials"), "utf8");
    expect(text).to.contain("[keep-me]\naws_access_key_id = AKIAKEEP\n");
    expect(text).to.not.contain("AKIAOLD");
  });

  it("supports --pki-mode issue (Vault generates the key, held in memory only)", async () => {
    const s = await scene();
    const vaultFrom = stack.vault.requests.length;
    const run = await runCli(["init", "--pki-mode", "issue"], { env: s.env });
    expect(run.stderr).to.equal("");
    expect(run.code).to.equal(0);
    expect(await readdir(s.tmp)).to.deep.equal([]);
    // Vault generated the key (pki/issue, never pki/sign) and the session it led to is the one written
    const pkiPaths = stack.vault.requests
      .slice(vaultFrom)
      .map((r) => r.path)
      .filter((p) => /^\/?v1\/pki\//.test(p));
    expect(
      pkiPaths.some((p) => p.includes("/issue/")),
      pkiPaths.join(","),
    ).to.equal(true);
    expect(
      pkiPaths.some((p) => p.includes("/sign/")),
      pkiPaths.join(","),
    ).to.equal(false);
    const doc = parse(await readFile(join(s.out, "credentials"), "utf8")) as Record<string, Record<string, string>>;
    expect(stack.sessions.lookup(doc.default!.aws_access_key_id!)?.secretAccessKey).to.equal(
      doc.default!.aws_secret_access_key,
    );
  });

  it("absorbs Roles Anywhere throttling (429 then success)", async () => {
    const s = await scene();
    stack.rolesAnywhere.injectFault({ count: 1, status: 429, code: "ThrottlingException", message: "Rate exceeded" });
    const run = await runCli(["init"], { env: s.env });
    expect(run.code, run.stderr).to.equal(0);
    expect(jsonLines(run.stdout).some((l) => l.msg === "retrying" && l.code === "RA_THROTTLED")).to.equal(true);
  });

  it("removes its own stale temp files at start, and a refresher's stale lock does not stop it", async () => {
    const s = await scene();
    const lock = JSON.stringify({ pid: 2 ** 22 + 1, since: "2020-01-01T00:00:00Z" }); // above any pid_max: not running
    await writeFile(join(s.out, ".iamra-refresher.lock"), lock);
    await writeFile(join(s.out, ".credentials.99.deadbeef.tmp"), "[default]\naws_acc");
    await writeFile(join(s.out, ".notes.99.deadbeef.tmp"), "not ours");
    const run = await runCli(["init"], { env: s.env });
    expect(run.code, run.stderr).to.equal(0);
    const names = (await readdir(s.out)).sort();
    expect(names).to.deep.equal([".iamra-refresher.lock", ".notes.99.deadbeef.tmp", "credentials", "iamra-state.json"]);
    const lockNow = await readFile(join(s.out, ".iamra-refresher.lock"), "utf8");
    expect(lockNow, "init leaves the lock to refreshers").to.equal(lock);
    const removed = jsonLines(run.stdout).find((l) => l.msg === "removed stale temp files")?.removed;
    expect(removed).to.deep.equal([".credentials.99.deadbeef.tmp"]);
  });

  it("does not load node:fs/promises (nor the readline and file watcher modules it brings)", async () => {
    const s = await scene();
    const preload = join(s.dir, "listBuiltins.cjs");
    const listed = join(s.dir, "builtins.json");
    await writeFile(
      preload,
      `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(listed)},
      JSON.stringify(process.moduleLoadList)));\n`,
    );
    const run = await runCli(["init"], { env: { ...s.env, NODE_OPTIONS: `--require ${preload}` } });
    expect(run.code, run.stderr).to.equal(0);
    expect(jsonLines(run.stdout).map((l) => l.msg)).to.include("credentials written");
    const loaded = JSON.parse(await readFile(listed, "utf8")) as string[];
    expect(loaded).to.include("NativeModule crypto"); // the list is the one of this run
    for (const m of ["fs/promises", "internal/fs/promises", "internal/readline/interface", "internal/fs/watchers"]) {
      expect(loaded).to.not.include(`NativeModule ${m}`);
    }
  });
});

function python(
  script: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(peers.python, ["-c", script], { env: { PATH: peers.path, ...env } });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d));
    p.stderr.on("data", (d: Buffer) => (stderr += d));
    p.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
