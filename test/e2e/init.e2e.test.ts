import { expect } from "chai";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { chmod, mkdir, mkdtemp, readFile, readdir, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "ini";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromIni } from "@aws-sdk/credential-providers";
import { startDevstack, type Devstack } from "../../devstack/startDevstack.js";
import { podEnvironment } from "../../devstack/podEnvironment.js";
import { CLI_PATH, jsonLines, runCli, type CliRun } from "../support/runCli.js";
import { runAwsCli } from "../support/runAwsCli.js";
import { peers } from "../support/peers.js";

const PRECIOUS =
  "[default]\naws_access_key_id = AKIAOLDOLDOLDOLDOLD\naws_secret_access_key = old\n\n[keep-me]\naws_access_key_id = AKIAKEEP\n";

describe("iamra-vault init (end to end on the devstack)", function () {
  this.timeout(60_000);
  let stack: Devstack;
  let work: string;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "iamra-init-e2e-"));
    stack = await startDevstack({ portBase: 0, dir: work, tps: 1000 });
  });
  after(async () => stack?.close());

  let n = 0;
  /** A fresh output dir (optionally with a pre-existing credentials file) and a token file for namespace/sa. */
  async function scene(o: { namespace?: string; serviceAccount?: string; ttlMs?: number; existing?: string } = {}) {
    const dir = join(work, `case-${++n}`);
    const out = join(dir, "out");
    const tmp = join(dir, "tmp");
    await mkdir(out, { recursive: true });
    await mkdir(tmp, { recursive: true });
    const tokenFile = join(dir, "token");
    const token = stack.tokenReview.mintToken({
      namespace: o.namespace ?? "demo",
      serviceAccount: o.serviceAccount ?? "app",
      ttlMs: o.ttlMs,
    });
    await writeFile(tokenFile, token, { mode: 0o644 });
    if (o.existing !== undefined) await writeFile(join(out, "credentials"), o.existing);
    const info = stack.info;
    const env: Record<string, string> = {
      ...podEnvironment(info, tokenFile),
      IAMRA_OUTPUT_DIR: out,
      TMPDIR: tmp,
    };
    return { dir, out, tmp, token, tokenFile, env };
  }

  /** Secrets that must never appear in any output of a run. */
  function expectNoSecrets(run: CliRun, secrets: string[]) {
    for (const s of secrets) {
      expect(run.stdout, "stdout").to.not.contain(s);
      expect(run.stderr, "stderr").to.not.contain(s);
    }
  }

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

  interface FailureCase {
    name: string;
    code: string;
    exit?: number;
    setup?: (s: Awaited<ReturnType<typeof scene>>) => Promise<string[] | void> | string[] | void;
    scene?: Parameters<typeof scene>[0];
    undo?: () => void;
  }
  const failures: FailureCase[] = [
    {
      name: "Vault is unreachable",
      code: "VAULT_UNREACHABLE",
      setup: (s) => void (s.env.VAULT_ADDR = "http://127.0.0.1:1"),
    },
    {
      name: "Vault is sealed (503)",
      code: "VAULT_SEALED",
      setup: () => stack.vault.seal(),
      undo: () => stack.vault.unseal(),
    },
    {
      name: "Vault is slow (timeout)",
      code: "VAULT_TIMEOUT",
      setup: () => {
        stack.vault.setDelay(20_000); // far beyond the 300 ms timeout, even on a stalled machine
        return ["--vault-timeout", "300ms", "--vault-max-attempts", "1"];
      },
      undo: () => stack.vault.setDelay(0),
    },
    {
      name: "the service account is not bound to the role (403)",
      code: "VAULT_LOGIN_DENIED",
      scene: { serviceAccount: "intruder" },
    },
    {
      name: "the service-account JWT has expired",
      code: "VAULT_LOGIN_DENIED",
      scene: { ttlMs: 1000 },
      setup: async () => void (await new Promise((r) => setTimeout(r, 2200))), // exp has whole-second precision
    },
    {
      name: "the PKI role refuses the requested SAN",
      code: "VAULT_PKI_REFUSED",
      setup: () => ["--uri-san", "spiffe://cluster.local/ns/demo/sa/other"],
    },
    {
      name: "Roles Anywhere answers 403",
      code: "RA_ACCESS_DENIED",
      setup: () =>
        stack.rolesAnywhere.injectFault({
          count: 1,
          status: 403,
          code: "AccessDeniedException",
          message: "denied by test",
        }),
    },
    {
      name: "Roles Anywhere answers 5xx on every attempt",
      code: "RA_SERVER_ERROR",
      setup: () => {
        stack.rolesAnywhere.injectFault({ count: 2, status: 500, code: "InternalServerException", message: "boom" });
        return ["--max-attempts", "2"];
      },
    },
    {
      name: "the configuration is incomplete",
      code: "CONFIG_INVALID",
      exit: 2,
      setup: (s) => void delete s.env.ROLE_ARN,
    },
  ];

  for (const f of failures) {
    it(`fails with ${f.code} and leaves the existing file byte for byte when ${f.name}`, async () => {
      const s = await scene({ ...f.scene, existing: PRECIOUS });
      const extra = (await f.setup?.(s)) ?? [];
      let run: CliRun;
      try {
        run = await runCli(["init", ...extra], { env: s.env });
      } finally {
        f.undo?.();
      }
      expect(run.code, run.stderr).to.equal(f.exit ?? 1);
      const summary = run.stderr.trim().split("\n");
      expect(summary[0]).to.match(/^iamra-vault: /);
      if (f.code !== "CONFIG_INVALID") {
        expect(summary).to.have.length(1);
        expect(summary[0]).to.contain(`[${f.code}]`);
        expect(summary[0]).to.contain("Hint:");
      }
      const last = jsonLines(run.stdout).pop()!;
      expect(last.level).to.equal("error");
      expect((last.error as { code: string }).code).to.equal(f.code);
      expect(await readFile(join(s.out, "credentials"), "utf8")).to.equal(PRECIOUS);
      expect((await readdir(s.out)).sort()).to.deep.equal(["credentials"]);
      expectNoSecrets(run, [s.token]);
    });
  }

  it("absorbs Roles Anywhere throttling (429 then success)", async () => {
    const s = await scene();
    stack.rolesAnywhere.injectFault({ count: 1, status: 429, code: "ThrottlingException", message: "Rate exceeded" });
    const run = await runCli(["init"], { env: s.env });
    expect(run.code, run.stderr).to.equal(0);
    expect(jsonLines(run.stdout).some((l) => l.msg === "retrying" && l.code === "RA_THROTTLED")).to.equal(true);
  });

  it("refuses an unwritable output directory at start-up (exit 2), leaving it untouched", async function () {
    // root ignores file modes, so init runs as nobody (uid 65534); that needs the built CLI to be readable by nobody
    const probe = await new Promise<number | null>((resolve) => {
      const p = spawn(process.execPath, ["-e", `require("fs").accessSync(${JSON.stringify(CLI_PATH)})`], {
        uid: 65534,
        gid: 65534,
      });
      p.on("close", resolve);
      p.on("error", () => resolve(-1));
    });
    if (probe !== 0) {
      console.log(
        `      (skipped: ${CLI_PATH} is not readable by uid 65534, so init cannot run as nobody; probe exit ${probe})`,
      );
      this.skip(); // reported as pending, with the reason printed above
    }
    const s = await scene({ existing: PRECIOUS });
    await chmod(s.out, 0o755); // owned by root; the init process runs as nobody
    await chmod(s.dir, 0o755);
    await chmod(work, 0o755); // mkdtemp made it 0700; nobody must reach the token file
    const sessionsBefore = stack.rolesAnywhere.requests.length;
    const run = await runCli(["init"], { env: s.env, uid: 65534, gid: 65534 });
    expect(run.code, run.stderr).to.equal(2);
    expect(run.stderr).to.contain("[OUTPUT_NOT_WRITABLE]");
    expect(stack.rolesAnywhere.requests.length, "CreateSession calls").to.equal(sessionsBefore); // checked before any call
    expect(await readFile(join(s.out, "credentials"), "utf8")).to.equal(PRECIOUS);
    expect((await readdir(s.out)).sort()).to.deep.equal(["credentials"]);
  });

  it("verifies before writing: a failed --verify leaves the previous files byte for byte", async () => {
    const s = await scene({ existing: PRECIOUS });
    await writeFile(join(s.out, "iamra-state.json"), '{"accessKeyId":"AKIAOLDOLDOLDOLDOLD"}\n');
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r())); // nothing listens there any more: STS is unreachable
    const run = await runCli(
      ["init", "--verify", "--sts-endpoint", `http://127.0.0.1:${port}`, "--max-attempts", "1"],
      { env: s.env },
    );
    expect(run.code, run.stderr).to.equal(1);
    expect(jsonLines(run.stdout).map((l) => l.msg)).to.include("session created");
    expect(await readFile(join(s.out, "credentials"), "utf8")).to.equal(PRECIOUS);
    expect(await readFile(join(s.out, "iamra-state.json"), "utf8")).to.equal('{"accessKeyId":"AKIAOLDOLDOLDOLDOLD"}\n');
    expect((await readdir(s.out)).sort()).to.deep.equal(["credentials", "iamra-state.json"]);
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

  describe("role chaining (--assume-role-arn through STS)", () => {
    it("assumes the chained role with the external ID and writes the chained role's credentials", async () => {
      const s = await scene();
      const sts = stack.info.sts;
      const run = await runCli(
        [
          "init",
          "--assume-role-arn",
          sts.chainRoleArn,
          "--external-id",
          sts.chainExternalId,
          "--sts-endpoint",
          sts.endpoint,
          "--verify",
        ],
        { env: s.env },
      );
      expect(run.code, run.stderr).to.equal(0);
      const doc = parse(await readFile(join(s.out, "credentials"), "utf8")) as Record<string, Record<string, string>>;
      const session = stack.sessions.lookup(doc.default!.aws_access_key_id!)!;
      expect(session.roleArn).to.equal(sts.chainRoleArn);
      expect(jsonLines(run.stdout).find((l) => l.msg === "credentials verified with sts")!.arn).to.match(
        /:assumed-role\/iamra-devstack-chained\//,
      );
    });

    it("fails with STS_ASSUME_ROLE_FAILED without the right external ID, leaving the file untouched", async () => {
      const s = await scene({ existing: PRECIOUS });
      const sts = stack.info.sts;
      const run = await runCli(
        ["init", "--assume-role-arn", sts.chainRoleArn, "--external-id", "wrong", "--sts-endpoint", sts.endpoint],
        { env: s.env },
      );
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain("[STS_ASSUME_ROLE_FAILED]");
      expect(await readFile(join(s.out, "credentials"), "utf8")).to.equal(PRECIOUS);
    });
  });

  describe("identity binding (vault-config bindings demo/app and demo/other)", () => {
    const binding = (name: string) => stack.info.bindings.find((b) => b.name === name)!;

    it("gives service account demo/other a certificate naming itself and credentials for its own role", async () => {
      const s = await scene({ serviceAccount: "other" });
      const other = binding("other");
      const run = await runCli(["init", "--vault-role", other.vaultRole, "--role-arn", other.roleArn], { env: s.env });
      expect(run.code, run.stderr).to.equal(0);
      const state = JSON.parse(await readFile(join(s.out, "iamra-state.json"), "utf8")) as {
        accessKeyId: string;
        certificate: { uriSans: string[] };
      };
      expect(state.certificate.uriSans).to.deep.equal(["spiffe://cluster.local/ns/demo/sa/other"]);
      expect(stack.sessions.lookup(state.accessKeyId)!.roleArn).to.equal(other.roleArn);
    });

    it("refuses demo/other a certificate naming demo/app (Vault's PKI role)", async () => {
      const s = await scene({ serviceAccount: "other", existing: PRECIOUS });
      const run = await runCli(
        [
          "init",
          "--vault-role",
          binding("other").vaultRole,
          "--uri-san",
          binding("demo").spiffeId,
          "--role-arn",
          binding("demo").roleArn,
        ],
        { env: s.env },
      );
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain("[VAULT_PKI_REFUSED]");
      expect(await readFile(join(s.out, "credentials"), "utf8")).to.equal(PRECIOUS);
    });

    it("refuses demo/other the role of demo/app (the role's trust policy checks aws:PrincipalTag/x509SAN/URI)", async () => {
      const s = await scene({ serviceAccount: "other", existing: PRECIOUS });
      const run = await runCli(
        ["init", "--vault-role", binding("other").vaultRole, "--role-arn", binding("demo").roleArn],
        { env: s.env },
      );
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain("[RA_ACCESS_DENIED]");
      expect(await readFile(join(s.out, "credentials"), "utf8")).to.equal(PRECIOUS);
    });

    it("refuses demo/other a login with demo/app's Vault role", async () => {
      const s = await scene({ serviceAccount: "other" });
      const run = await runCli(["init"], { env: s.env });
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain("[VAULT_LOGIN_DENIED]");
    });
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
