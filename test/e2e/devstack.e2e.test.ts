import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DevstackInfo } from "../../devstack/devstackInfo.js";
import { DEVSTACK_CLI_PATH, runCli } from "../support/runCli.js";
import { throwawayCredentialProcessArgs } from "../../devstack/throwawayCredentialProcessArgs.js";

describe("iamra-vault-devstack (spawned)", function () {
  this.timeout(60_000);
  let child: ChildProcess;
  let stdout = "";
  let dir: string;
  let info: DevstackInfo;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-devstack-e2e-"));
    const stateFile = join(dir, "state.json");
    child = spawn(
      process.execPath,
      [DEVSTACK_CLI_PATH, "--port-base", "0", "--dir", join(dir, "ds"), "--state-file", stateFile],
      {
        env: { PATH: process.env.PATH ?? "" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    child.stdout!.on("data", (d: Buffer) => (stdout += d));
    const deadline = Date.now() + 30_000;
    while (!stdout.includes("2. init") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(stateFile), `devstack did not start:\n${stdout}`).to.equal(true);
    info = JSON.parse(readFileSync(stateFile, "utf8")) as DevstackInfo;
  });

  after(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });

  it("writes a state file with the endpoints, ARNs, Vault root token, mounts and roles, all on loopback", () => {
    for (const url of [info.vault.addr, info.rolesAnywhere.endpoint, info.sts.endpoint, info.admin.url]) {
      expect(url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
    expect(info.kubernetes.tokenReviewUrl).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(info.vault.rootToken).to.match(/^hvs\./);
    expect(info.vault).to.include({ pkiMount: "pki", kubernetesAuthMount: "kubernetes" });
    expect(info.rolesAnywhere.trustAnchorArn).to.match(/^arn:aws:rolesanywhere:us-east-1:\d{12}:trust-anchor\//);
    expect(stdout).to.contain(info.throwaway.certificate);
    expect(stdout).to.contain("credential_process = iamra-vault credential-process");
  });

  it("accepts the printed credential-process command with the throwaway certificate", async () => {
    const run = await runCli(throwawayCredentialProcessArgs(info));
    expect(run.code, run.stderr).to.equal(0);
    expect(JSON.parse(run.stdout)).to.include({ Version: 1 });
  });

  it("mints a token with `devstack token` that init then logs in with", async () => {
    const token = await runCli(
      ["token", "--namespace", "demo", "--service-account", "app", "--admin-url", info.admin.url],
      { cli: DEVSTACK_CLI_PATH },
    );
    expect(token.code, token.stderr).to.equal(0);
    expect(token.stdout).to.match(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/); // a JWT, no trailing newline when not a terminal
    const tokenFile = join(dir, "token");
    await writeFile(tokenFile, token.stdout);
    const init = await runCli(
      [
        "init",
        "--vault-role",
        info.vault.vaultRole,
        "--sa-token-file",
        tokenFile,
        "--trust-anchor-arn",
        info.rolesAnywhere.trustAnchorArn,
        "--profile-arn",
        info.rolesAnywhere.profileArn,
        "--role-arn",
        info.rolesAnywhere.roleArn,
        "--endpoint",
        info.rolesAnywhere.endpoint,
        "--output-dir",
        dir,
        "--verify",
        "--sts-endpoint",
        info.sts.endpoint,
      ],
      { env: { VAULT_ADDR: info.vault.addr } },
    );
    expect(init.code, init.stderr).to.equal(0);
    expect(init.stdout).to.contain("credentials verified with sts");
  });

  it("stops on SIGTERM with exit code 0", async () => {
    // "close", not "exit": at "exit" the child's stdout may not be drained yet, so "devstack stopped" could still be
    // missing
    const exited = new Promise<number | null>((r) => child.once("close", (code) => r(code)));
    child.kill("SIGTERM");
    expect(await exited).to.equal(0);
    expect(stdout).to.contain("devstack stopped");
  });
});

describe("iamra-vault-devstack is not part of the product CLI", function () {
  this.timeout(30_000);

  it("lists no devstack command in `iamra-vault --help` and refuses `iamra-vault devstack` as a usage error", async () => {
    const help = await runCli(["--help"]);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.contain("credential-process");
    expect(help.stdout).not.to.match(/devstack/);
    const run = await runCli(["devstack", "--port-base", "0"]);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain("unknown command 'devstack'");
  });

  it("has its own --help with the start (default) and token commands", async () => {
    const help = await runCli(["--help"], { cli: DEVSTACK_CLI_PATH });
    expect(help.code).to.equal(0);
    expect(help.stdout).to.contain("Usage: iamra-vault-devstack");
    expect(help.stdout).to.match(/start \[options\].*\(default\)/s);
    expect(help.stdout).to.match(/token \[options\]/);
  });
});
