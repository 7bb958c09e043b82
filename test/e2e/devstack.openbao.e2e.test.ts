import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DevstackInfo } from "../../devstack/devstackInfo.js";
import { startOpenBao, type OpenBao } from "../support/openbao.js";
import { peers } from "../support/peers.js";
import { DEVSTACK_CLI_PATH, jsonLines, runCli } from "../support/runCli.js";

const DEMO_PATH = fileURLToPath(new URL("../../dist/devstack/demo.js", import.meta.url));
/** A PATH without bao, so that only --bao-path or the project's .peers/ can provide it. */
const PLAIN_PATH = "/usr/local/bin:/usr/bin:/bin";

/** A spawned `iamra-vault-devstack`, its output so far and the state file it wrote. */
interface RunningDevstack {
  child: ChildProcess;
  stdout: () => string;
  stateText: string;
  info: DevstackInfo;
  dir: string;
}

async function spawnDevstack(args: string[], env: Record<string, string> = {}): Promise<RunningDevstack> {
  const dir = await mkdtemp(join(tmpdir(), "iamra-devstack-bao-e2e-"));
  const stateFile = join(dir, "state.json");
  const child = spawn(
    process.execPath,
    [DEVSTACK_CLI_PATH, "--port-base", "0", "--dir", join(dir, "ds"), "--state-file", stateFile, ...args],
    { env: { PATH: PLAIN_PATH, HOME: dir, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d));
  child.stderr!.on("data", (d: Buffer) => (stderr += d));
  // generous: a busy 2-core machine starts OpenBao and applies the development config in a few seconds
  const deadline = Date.now() + 60_000;
  while (!stdout.includes("2. init") && child.exitCode === null && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(existsSync(stateFile), `devstack did not start:\n${stdout}\n${stderr}`).to.equal(true);
  const stateText = readFileSync(stateFile, "utf8");
  return { child, stdout: () => stdout, stateText, info: JSON.parse(stateText) as DevstackInfo, dir };
}

/** SIGTERM, then the exit code once stdout is drained. */
async function stop(child: ChildProcess): Promise<number | null> {
  const closed = new Promise<number | null>((r) => child.once("close", (code) => r(code)));
  child.kill("SIGTERM");
  return await closed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw err;
  }
}

async function baoApi(info: DevstackInfo, token: string, path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${info.vault.addr}/v1/${path}`, {
    headers: { "X-Vault-Token": token },
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Mints a token with `devstack token`, runs init with --verify and returns the init run and its output dir. */
async function initLikeAPod(stack: RunningDevstack) {
  const { info } = stack;
  const token = await runCli(["token", "--admin-url", info.admin.url], { cli: DEVSTACK_CLI_PATH });
  expect(token.code, token.stderr).to.equal(0);
  const tokenFile = join(stack.dir, `token-${Date.now()}`);
  await writeFile(tokenFile, token.stdout);
  const out = await mkdtemp(join(stack.dir, "out-"));
  const ra = info.rolesAnywhere;
  const init = await runCli(
    [
      "init",
      "--vault-role",
      info.vault.vaultRole,
      "--sa-token-file",
      tokenFile,
      "--trust-anchor-arn",
      ra.trustAnchorArn,
      "--profile-arn",
      ra.profileArn,
      "--role-arn",
      ra.roleArn,
      "--endpoint",
      ra.endpoint,
      "--output-dir",
      out,
      "--verify",
      "--sts-endpoint",
      info.sts.endpoint,
    ],
    { env: { VAULT_ADDR: info.vault.addr }, timeoutMs: 60_000 },
  );
  return { init, out };
}

describe("iamra-vault-devstack --vault openbao (spawned, real OpenBao)", function () {
  this.timeout(120_000);
  let stack: RunningDevstack;

  before(async () => {
    stack = await spawnDevstack(["--vault", "openbao", "--bao-path", peers.bao]);
  });
  after(async () => {
    if (stack?.child.exitCode === null) stack.child.kill("SIGKILL");
    const pid = stack?.info.vault.pid;
    if (pid !== undefined && isRunning(pid)) process.kill(pid, "SIGKILL");
    if (stack) await rm(stack.dir, { recursive: true, force: true });
  });

  it("runs OpenBao in place of the Vault stand-in, configured by the development vault-config", async () => {
    const { info } = stack;
    expect(info.vault.server).to.match(/^OpenBao v2\.7\.2 dev server, pid \d+/);
    expect(info.vault.pid).to.be.a("number");
    expect(isRunning(info.vault.pid!)).to.equal(true);
    expect(info.note).to.contain("Vault is a real server");
    expect(stack.stdout()).to.contain("running on a real Vault-compatible server");
    const health = await fetch(`${info.vault.addr}/v1/sys/health`);
    expect(((await health.json()) as { version: string }).version).to.equal("2.7.2");

    const token = info.vault.rootToken!;
    const mounts = await baoApi(info, token, "sys/mounts");
    expect(mounts.body.data).to.include.keys("pki/", "pki-root/");
    const k8s = await baoApi(info, token, "auth/kubernetes/config");
    expect(k8s.status).to.equal(200);
    expect(k8s.body.data.kubernetes_host).to.equal(info.kubernetes.tokenReviewUrl);
    expect(info.kubernetes.tokenReviewUrl).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(k8s.body.data.kubernetes_ca_cert).to.contain("-----BEGIN CERTIFICATE-----");
  });

  it("keeps the server's root token out of its command line", async () => {
    const cmdline = (await readFile(`/proc/${stack.info.vault.pid}/cmdline`, "utf8")).split("\0");
    expect(cmdline).to.include("-dev");
    expect(cmdline.join(" ")).not.to.contain(stack.info.vault.rootToken!);
  });

  it("lets init log in to OpenBao and get a certificate from it that the Roles Anywhere stand-in accepts", async () => {
    const { init, out } = await initLikeAPod(stack);
    expect(init.code, init.stderr + init.stdout).to.equal(0);
    expect(init.stdout).to.contain("credentials verified with sts");
    const state = JSON.parse(await readFile(join(out, "iamra-state.json"), "utf8")) as {
      certificate: { uriSans: string[] };
    };
    expect(state.certificate.uriSans).to.deep.equal(["spiffe://cluster.local/ns/demo/sa/app"]);
    const steps = jsonLines(init.stdout).map((l) => l.msg);
    expect(steps).to.include.members(["vault login succeeded", "certificate issued", "session created"]);
  });

  it("stops the OpenBao server when it stops on SIGTERM", async () => {
    const pid = stack.info.vault.pid!;
    expect(await stop(stack.child)).to.equal(0);
    expect(stack.stdout()).to.contain("devstack stopped");
    expect(isRunning(pid)).to.equal(false);
  });
});

describe("iamra-vault-devstack --vault-addr (spawned, running OpenBao server)", function () {
  this.timeout(120_000);
  let bao: OpenBao;
  let stack: RunningDevstack;

  before(async () => {
    bao = await startOpenBao();
    stack = await spawnDevstack(["--vault-addr", bao.url], { VAULT_TOKEN: bao.rootToken });
  });
  after(async () => {
    if (stack?.child.exitCode === null) stack.child.kill("SIGKILL");
    await bao?.stop();
    if (stack) await rm(stack.dir, { recursive: true, force: true });
  });

  it("configures the running server and keeps its token out of the banner and the state file", async () => {
    expect(stack.info.vault).to.include({ addr: bao.url, server: "existing server" });
    expect(stack.info.vault.rootToken).to.equal(undefined);
    expect(stack.stdout()).to.contain("token from $VAULT_TOKEN");
    expect(stack.stdout()).not.to.contain(bao.rootToken);
    expect(stack.stateText).not.to.contain(bao.rootToken);
    const k8s = await bao.api("GET", "auth/kubernetes/config");
    expect(k8s.body.data.kubernetes_host).to.equal(stack.info.kubernetes.tokenReviewUrl);
  });

  it("lets init obtain credentials through it", async () => {
    const { init } = await initLikeAPod(stack);
    expect(init.code, init.stderr + init.stdout).to.equal(0);
    expect(init.stdout).to.contain("credentials verified with sts");
  });

  it("leaves the server running when it stops", async () => {
    expect(await stop(stack.child)).to.equal(0);
    expect((await bao.api("GET", "sys/health")).status).to.equal(200);
  });
});

describe("iamra-vault-devstack: choosing the Vault (usage errors)", function () {
  this.timeout(30_000);
  const cases: Array<{ name: string; args: string[]; env: Record<string, string>; code: string }> = [
    {
      name: "--bao-path is not executable",
      args: ["--vault", "openbao", "--bao-path", "/nonexistent/bao"],
      env: {},
      code: "DEVSTACK_BAO_NOT_FOUND",
    },
    {
      name: "--vault-addr has no $VAULT_TOKEN",
      args: ["--vault-addr", "http://127.0.0.1:9"],
      env: {},
      code: "DEVSTACK_VAULT_TOKEN_MISSING",
    },
    {
      name: "--vault-addr comes with --vault openbao",
      args: ["--vault-addr", "http://127.0.0.1:9", "--vault", "openbao"],
      env: { VAULT_TOKEN: "t" },
      code: "DEVSTACK_VAULT_CONFLICT",
    },
  ];
  for (const c of cases) {
    it(`exits 2 with ${c.code} when ${c.name}`, async () => {
      const dir = await mkdtemp(join(tmpdir(), "iamra-devstack-bao-usage-"));
      const run = await runCli(["--port-base", "0", "--dir", dir, ...c.args], { env: c.env, cli: DEVSTACK_CLI_PATH });
      await rm(dir, { recursive: true, force: true });
      expect(run.code, run.stdout + run.stderr).to.equal(2);
      expect(run.stderr).to.contain(c.code);
      expect(run.stdout).not.to.contain("devstack is running");
    });
  }
});

/** Runs the built demo (`npm run demo` after its build step) with `args`; PATH has no bao. */
function runDemo(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DEMO_PATH, ...args], {
      env: { PATH: PLAIN_PATH, HOME: tmpdir() },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("npm run demo -- --vault openbao (built demo, real OpenBao)", function () {
  this.timeout(120_000);

  before(() => {
    expect(existsSync(DEMO_PATH), `${DEMO_PATH} is missing: run "npm run build" first`).to.equal(true);
    void peers.bao; // fails with the peer's name when OpenBao is not installed
  });

  it("ends with demo ok, using the project's OpenBao when bao is not on PATH", async () => {
    const run = await runDemo(["--vault", "openbao"]);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^iamra-vault demo on a real Vault-compatible server: OpenBao v2\.7\.2 dev server/);
    expect(run.stdout).to.contain("iamra-vault init (child process) exited 0");
    expect(run.stdout).to.match(/identity {6}arn:aws:sts::\d{12}:assumed-role\/demo\//);
    expect(run.stdout.endsWith("demo ok\n")).to.equal(true);
    const pid = Number(/pid (\d+)/.exec(run.stdout)![1]);
    expect(isRunning(pid)).to.equal(false);
  });

  it("exits 2 with the code and a hint when the OpenBao binary is missing", async () => {
    const run = await runDemo(["--vault", "openbao", "--bao-path", "/nonexistent/bao"]);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain("DEVSTACK_BAO_NOT_FOUND");
    expect(run.stderr).to.contain("Hint:");
    expect(run.stdout).to.equal("");
  });
});
