import { expect } from "chai";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { chmod, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Devstack } from "../../devstack/startDevstack.js";
import { CLI_PATH, jsonLines, runCli, type CliRun } from "../support/runCli.js";
import { expectNoSecrets, initDevstack, PRECIOUS } from "./initDevstack.js";
describe("iamra-vault init (end to end on the devstack)", function () {
  this.timeout(60_000);
  const devstack = initDevstack();
  const scene = devstack.scene;
  let stack: Devstack;
  before(() => (stack = devstack.stack));

  interface FailureCase {
    name: string;
    code: string;
    exit?: number;
    setup?: (s: Awaited<ReturnType<typeof scene>>) => Promise<string[] | void> | string[] | void;
    scene?: Parameters<typeof scene>[0];
    undo?: () => void;
    /** What the one-line summary must also say. */
    says?: RegExp;
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
      scene: { ttlMs: -60_000 }, // exp a minute before iat: expired when minted, no wait
      says: /token is expired/,
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
        if (f.says) expect(summary[0]).to.match(f.says);
      }
      const last = jsonLines(run.stdout).pop()!;
      expect(last.level).to.equal("error");
      expect((last.error as { code: string }).code).to.equal(f.code);
      expect(await readFile(join(s.out, "credentials"), "utf8")).to.equal(PRECIOUS);
      expect((await readdir(s.out)).sort()).to.deep.equal(["credentials"]);
      expectNoSecrets(run, [s.token]);
    });
  }

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
    await chmod(devstack.work, 0o755); // mkdtemp made it 0700; nobody must reach the token file
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
    // STS fails: this listener keeps the port (no other process can take it) and drops every connection at once
    const sts = createServer((socket) => socket.destroy());
    await new Promise<void>((r) => sts.listen(0, "127.0.0.1", r));
    const port = (sts.address() as AddressInfo).port;
    let run: CliRun;
    try {
      run = await runCli(["init", "--verify", "--sts-endpoint", `http://127.0.0.1:${port}`, "--max-attempts", "1"], {
        env: s.env,
      });
    } finally {
      await new Promise<void>((r) => sts.close(() => r()));
    }
    expect(run.code, run.stderr).to.equal(1);
    expect(run.stderr).to.contain("[STS_VERIFY_FAILED]");
    expect(jsonLines(run.stdout).map((l) => l.msg)).to.include("session created");
    expect(await readFile(join(s.out, "credentials"), "utf8")).to.equal(PRECIOUS);
    expect(await readFile(join(s.out, "iamra-state.json"), "utf8")).to.equal('{"accessKeyId":"AKIAOLDOLDOLDOLDOLD"}\n');
    expect((await readdir(s.out)).sort()).to.deep.equal(["credentials", "iamra-state.json"]);
  });
});
