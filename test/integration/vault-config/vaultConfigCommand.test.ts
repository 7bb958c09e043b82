import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { X509Certificate } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { expect } from "chai";
import { resolveSettings } from "../../../lib/config/resolveSettings.js";
import { exitCodeFor, isConfigError, type ConfigError } from "../../../lib/errors.js";
import { silentLogger } from "../../../lib/log.js";
import { vaultConfigCommand } from "../../../vault-config/vaultConfigCommand.js";
import { CLI_PATH, runCli } from "../../support/runCli.js";
import { EXTERNAL_CONFIG_TEXT, makeOfflineRoot } from "./offlineRoot.js";
import { DEV_CONFIG_TEXT, startVaultConfigKit, type VaultConfigKit } from "./vaultConfigKit.js";

interface Run {
  code: number;
  stdout: string;
  error?: unknown;
}

/**
 * Runs `vault-config <sub>` in-process the way cli/main.ts does: settings from flags and env, exit code from errors.
 */
async function runSub(
  sub: "plan" | "apply" | "export",
  flags: Record<string, string | boolean>,
  env: Record<string, string>,
): Promise<Run> {
  const spec = vaultConfigCommand.subcommands!.find((s) => s.name === sub)!;
  const stdout = new PassThrough();
  let out = "";
  stdout.on("data", (c: Buffer) => (out += c.toString()));
  try {
    const values = resolveSettings(spec.settings, { flags, env });
    const code = await spec.run!(values, {
      env,
      log: silentLogger(),
      stdout,
      stderr: new PassThrough(),
      signal: new AbortController().signal,
      args: [],
    });
    return { code: code ?? 0, stdout: out };
  } catch (error) {
    return { code: exitCodeFor(error), stdout: out, error };
  }
}

const BAD_CONFIG = `
trustDomain: cluster.local
pki:
  intermediate:
    signedBy: { type: mount }
bindings:
  - name: demo
    serviceAccounts:
      - { name: app }
      - { namespace: demo }
    certificate: { ttl: 2h, maxTtl: 1h }
`;

describe("vault-config command (devstack Vault)", () => {
  let kit: VaultConfigKit;
  let dir: string;
  let env: Record<string, string>;
  let configFile: string;

  before(async () => {
    kit = await startVaultConfigKit();
    dir = await mkdtemp(join(tmpdir(), "iamra-vault-config-cmd-"));
    await writeFile(join(dir, "reviewer.jwt"), kit.k8s.reviewerJwt);
    await writeFile(join(dir, "k8s-ca.pem"), kit.k8s.caCertPem!);
    configFile = join(dir, "vault-config.yaml");
    const k8sApi = `host: ${kit.k8s.url}\n    caCertFile: k8s-ca.pem\n    tokenReviewerJwtFile: reviewer.jwt`;
    await writeFile(configFile, DEV_CONFIG_TEXT.replace("host: https://kubernetes.default.svc", k8sApi));
    await writeFile(join(dir, "bad.yaml"), BAD_CONFIG);
    env = { VAULT_ADDR: kit.vault.url, VAULT_TOKEN: kit.vault.rootToken };
  });
  after(async () => {
    await kit?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("rejects a bad config with all its problems and exit 2, before any request to Vault", async () => {
    const before = kit.vault.requests.length;
    for (const sub of ["plan", "apply", "export"] as const) {
      const run = await runSub(sub, { config: join(dir, "bad.yaml"), outDir: join(dir, "never") }, env);
      expect(run.code).to.equal(2);
      expect(isConfigError(run.error), "a ConfigError").to.equal(true);
      expect((run.error as ConfigError).problems).to.deep.equal([
        "pki.intermediate.signedBy.mount: required",
        "bindings[0].serviceAccounts[0].namespace: required",
        "bindings[0].serviceAccounts[1].name: required",
        "bindings[0].certificate.ttl: must not exceed maxTtl (3600s)",
      ]);
    }
    expect(kit.vault.requests.length).to.equal(before);
  });

  it("plan --exit-code gives 2 on an empty Vault, apply converges, then plan --exit-code gives 0", async () => {
    const pending = await runSub("plan", { config: configFile, exitCode: true }, env);
    expect(pending.code).to.equal(2);
    expect(pending.stdout).to.contain("+ create PKI role pki/roles/demo").and.contain("Plan: 12 to create.");
    expect(pending.stdout).to.contain("token_reviewer_jwt: (sensitive)").and.not.contain(kit.k8s.reviewerJwt);
    const withoutFlag = await runSub("plan", { config: configFile }, env);
    expect(withoutFlag.code).to.equal(0);

    const applied = await runSub("apply", { config: configFile }, env);
    expect(applied.code, String(applied.error)).to.equal(0);
    expect(applied.stdout).to.match(/^Applied 12 change\(s\) to Vault at /);
    const clean = await runSub("plan", { config: configFile, exitCode: true }, env);
    expect(clean.code).to.equal(0);
    expect(clean.stdout).to.equal(`Vault at ${kit.vault.url} matches the config. No changes.\n`);
  });

  it("plan --exit-code detects a manual change (drift) and apply restores it", async () => {
    await kit.root.write("auth/kubernetes/role/demo", { bound_service_account_namespaces: "*" });
    const drift = await runSub("plan", { config: configFile, exitCode: true }, env);
    expect(drift.code).to.equal(2);
    expect(drift.stdout).to.contain(
      '~ update kubernetes auth role auth/kubernetes/role/demo\n      bound_service_account_namespaces: ["*"] → ["demo"]',
    );
    expect((await runSub("apply", { config: configFile }, env)).code).to.equal(0);
    expect((await runSub("plan", { config: configFile, exitCode: true }, env)).code).to.equal(0);
  });

  it("export writes the trust anchor, the request bodies and one trust policy per binding", async () => {
    const outDir = join(dir, "aws");
    const anchorArn = "arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/11111111-2222-3333-4444-555555555555";
    const run = await runSub(
      "export",
      { config: configFile, outDir, trustAnchorArn: anchorArn, cloudFormation: true },
      env,
    );
    expect(run.code, String(run.error)).to.equal(0);
    const rootPem = String(((await kit.root.read("pki-root/cert/ca"))!.data as { certificate: string }).certificate);
    expect(new X509Certificate(await readFile(join(outDir, "trust-anchor.pem"))).fingerprint256).to.equal(
      new X509Certificate(rootPem).fingerprint256,
    );
    const policy = JSON.parse(await readFile(join(outDir, "trust-policy-other.json"), "utf8"));
    expect(policy.Statement[0].Condition).to.deep.equal({
      StringEquals: { "aws:PrincipalTag/x509SAN/URI": "spiffe://cluster.local/ns/demo/sa/other" },
      ArnEquals: { "aws:SourceArn": anchorArn },
    });
    expect(JSON.parse(await readFile(join(outDir, "profile.json"), "utf8")).roleArns).to.deep.equal([
      "arn:aws:iam::123456789012:role/demo",
      "arn:aws:iam::123456789012:role/other",
    ]);
    expect((await stat(join(outDir, "cloudformation.json"))).mode & 0o777).to.equal(0o644);
  });

  it("apply prints the CSR for an external root, writes --csr-out, and installs the signed intermediate next time", async () => {
    const ext = await startVaultConfigKit();
    try {
      const file = join(dir, "external.yaml");
      await writeFile(join(dir, "ext-k8s-ca.pem"), ext.k8s.caCertPem!);
      const k8sApi = `host: ${ext.k8s.url}\n    caCertFile: ext-k8s-ca.pem`;
      await writeFile(file, EXTERNAL_CONFIG_TEXT.replace("host: https://kubernetes.default.svc", k8sApi));
      const extEnv = { VAULT_ADDR: ext.vault.url, VAULT_TOKEN: ext.vault.rootToken };
      const first = await runSub("apply", { config: file, csrOut: join(dir, "int.csr") }, extEnv);
      expect(first.code, String(first.error)).to.equal(0);
      const csr = await readFile(join(dir, "int.csr"), "utf8");
      expect(csr).to.match(/^-----BEGIN CERTIFICATE REQUEST-----/);
      expect(first.stdout)
        .to.contain(csr.trim())
        .and.contain("--signed-intermediate <intermediate.pem> --root <root.pem>");
      const root = await makeOfflineRoot(dir, "cmd-root");
      await writeFile(join(dir, "int.pem"), await root.sign(csr));
      await writeFile(join(dir, "cmd-root-copy.pem"), root.pem);
      const onlyOne = await runSub("apply", { config: file, signedIntermediate: join(dir, "int.pem") }, extEnv);
      expect(onlyOne.code).to.equal(2);
      const second = await runSub(
        "apply",
        { config: file, signedIntermediate: join(dir, "int.pem"), root: join(dir, "cmd-root-copy.pem") },
        extEnv,
      );
      expect(second.code, String(second.error)).to.equal(0);
      expect(second.stdout).to.contain("+ create intermediate CA pki/cert/ca");
      expect((await runSub("plan", { config: file, exitCode: true }, extEnv)).code).to.equal(0);
    } finally {
      await ext.close();
    }
  });

  describe("built CLI", () => {
    before(async () => {
      // vault-config is registered in cli/commands.ts, so a built CLI without it is a failure, not a reason to skip
      const help = await runCli(["--help"]); // throws when dist/ was not built (npm test builds it)
      expect(help.stdout, `${CLI_PATH} --help lists vault-config`).to.contain("vault-config");
    });

    it("exits 2 with every problem of a bad config, and plan --exit-code reflects pending changes", async () => {
      const bad = await runCli(["vault-config", "plan", "--config", join(dir, "bad.yaml")], { env });
      expect(bad.code).to.equal(2);
      expect(bad.stderr)
        .to.contain("configuration has 4 problems")
        .and.contain("bindings[0].serviceAccounts[0].namespace: required");
      const clean = await runCli(["vault-config", "plan", "--exit-code", "--config", configFile], { env });
      expect(clean.code, clean.stderr).to.equal(0);
      expect(clean.stdout).to.contain("No changes.");
      await kit.root.write("pki/roles/demo", {
        ...((await kit.root.read("pki/roles/demo"))!.data as object),
        allow_any_name: true,
      });
      const drift = await runCli(["vault-config", "plan", "--exit-code", "--config", configFile], { env });
      expect(drift.code).to.equal(2);
      expect(drift.stdout).to.contain("allow_any_name: true → false");
    });
  });
});
