import { expect } from "chai";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "ini";
import type { Devstack } from "../../devstack/startDevstack.js";
import { jsonLines, runCli } from "../support/runCli.js";
import { initDevstack, PRECIOUS } from "./initDevstack.js";
describe("iamra-vault init (end to end on the devstack)", function () {
  this.timeout(60_000);
  const devstack = initDevstack();
  const scene = devstack.scene;
  let stack: Devstack;
  before(() => (stack = devstack.stack));

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
