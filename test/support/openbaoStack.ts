/**
 * Test helper: a real OpenBao server set up by the built `vault-config` CLI from the bundled development config, with
 * kubernetes auth verified by the TokenReview stand-in over HTTPS, and the Roles Anywhere and STS stand-ins trusting
 * the root that `vault-config export` names.
 */
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTokenReviewStandIn, type TokenReviewStandIn } from "../../devstack/kubernetes/startTokenReviewStandIn.js";
import { startAwsStandIns, type AwsStandIns } from "./awsStandIns.js";
import { startOpenBao, type OpenBao } from "./openbao.js";
import { runCli, type CliRun } from "./runCli.js";

/** The bundled development config's text. */
export const DEV_CONFIG_TEXT = readFileSync(new URL("../../devstack/vault-config.dev.yaml", import.meta.url), "utf8");

/** The Roles Anywhere resources made from an export: one trust anchor, one profile, one role per binding. */
export interface AwsSetup {
  trustAnchorArn: string;
  profileArn: string;
  /** Role ARN per binding name. */
  roleArns: Record<string, string>;
}

/** Everything one test file needs; close() stops it all. */
export interface OpenBaoStack {
  bao: OpenBao;
  k8s: TokenReviewStandIn;
  aws: AwsStandIns;
  /** A temp directory for the test's files. */
  dir: string;
  /** The vault-config file (the development config pointed at the TokenReview stand-in). */
  configFile: string;
  /** Runs `iamra-vault vault-config <args> --config <configFile>` with the root token. */
  vaultConfig(args: string[], configFile?: string): Promise<CliRun>;
  /** Exports the trust anchor and trust policies and registers them with the Roles Anywhere stand-in. */
  trustInAws(configFile?: string): Promise<AwsSetup>;
  /** A service-account token file for <namespace>/<name> (audience "vault"). */
  saTokenFile(namespace: string, name: string): Promise<string>;
  close(): Promise<void>;
}

/** Options of startOpenBaoStack. */
export interface OpenBaoStackOptions {
  /** Changes the development config's text before it is written (after it was pointed at the stand-in). */
  editConfig?: (text: string) => string;
  /** Shortest session the Roles Anywhere stand-in accepts (seconds). */
  minSessionSeconds?: number;
}

/** The development config pointed at a TokenReview stand-in: its URL, CA file and reviewer JWT file (relative). */
export function pointAtTokenReview(text: string, url: string): string {
  const host = "host: https://kubernetes.default.svc";
  if (!text.includes(host)) throw new Error(`the development config has no "${host}" line`);
  return text.replace(host, `host: ${url}\n    caCertFile: k8s-ca.pem\n    tokenReviewerJwtFile: reviewer.jwt`);
}

/** Starts OpenBao, the TokenReview stand-in (HTTPS) and the AWS stand-ins; writes the config file, applies nothing. */
export async function startOpenBaoStack(opts: OpenBaoStackOptions = {}): Promise<OpenBaoStack> {
  const dir = await mkdtemp(join(tmpdir(), "iamra-openbao-e2e-"));
  const started: Array<() => Promise<void>> = [() => rm(dir, { recursive: true, force: true })];
  const stopAll = async () => {
    for (const stop of started.reverse()) await stop().catch(() => undefined); // report the test's error, not these
  };
  try {
    const bao = await startOpenBao();
    started.push(() => bao.stop());
    const k8s = await startTokenReviewStandIn({ host: "127.0.0.1", port: 0, tls: true, defaultAudiences: ["vault"] });
    started.push(() => k8s.close());
    const aws = await startAwsStandIns({ minDurationSeconds: opts.minSessionSeconds });
    started.push(() => aws.close());
    await writeFile(join(dir, "k8s-ca.pem"), k8s.caCertPem!);
    await writeFile(join(dir, "reviewer.jwt"), k8s.reviewerJwt);
    const configFile = join(dir, "vault-config.yaml");
    const text = pointAtTokenReview(DEV_CONFIG_TEXT, k8s.url);
    await writeFile(configFile, opts.editConfig ? opts.editConfig(text) : text);
    const env = { VAULT_ADDR: bao.url, VAULT_TOKEN: bao.rootToken };
    const vaultConfig = (args: string[], file = configFile) =>
      runCli(["vault-config", ...args, "--config", file], { env });
    let tokens = 0;
    let exports = 0;
    return {
      bao,
      k8s,
      aws,
      dir,
      configFile,
      vaultConfig,
      async trustInAws(file = configFile) {
        const out = join(dir, `aws-${++exports}`);
        const first = await vaultConfig(["export", "--out-dir", out], file);
        if (first.code !== 0) throw new Error(`vault-config export failed (${first.code}): ${first.stderr}`);
        const caCertificatesPem = await readFile(join(out, "trust-anchor.pem"), "utf8");
        const anchor = aws.ra.addTrustAnchor({ name: "openbao-root", caCertificatesPem });
        const again = await vaultConfig(["export", "--out-dir", out, "--trust-anchor-arn", anchor.arn], file);
        if (again.code !== 0) throw new Error(`vault-config export (ARN) failed (${again.code}): ${again.stderr}`);
        const profile = JSON.parse(await readFile(join(out, "profile.json"), "utf8")) as { roleArns: string[] };
        const roleArns: Record<string, string> = {};
        for (const arn of profile.roleArns) {
          const name = arn.split("/").pop()!;
          const trustPolicy = JSON.parse(await readFile(join(out, `trust-policy-${name}.json`), "utf8")) as object;
          roleArns[name] = aws.ra.addRole({ name, trustPolicy }).arn;
        }
        const roles = Object.values(roleArns);
        const { arn: profileArn } = aws.ra.addProfile({ name: "openbao", roleArns: roles, durationSeconds: 3600 });
        return { trustAnchorArn: anchor.arn, profileArn, roleArns };
      },
      async saTokenFile(namespace, name) {
        const file = join(dir, "tokens", `${++tokens}-${namespace}-${name}`);
        await mkdir(join(dir, "tokens"), { recursive: true });
        await writeFile(file, k8s.mintToken({ namespace, serviceAccount: name }), { mode: 0o644 });
        return file;
      },
      close: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** The environment of an iamra-vault container logging in with `vaultRole` and assuming `roleArn`. */
export function podEnv(
  s: OpenBaoStack,
  o: { aws: AwsSetup; saTokenFile: string; vaultRole: string; roleArn: string; outputDir: string },
): Record<string, string> {
  return {
    VAULT_ADDR: s.bao.url,
    VAULT_ROLE: o.vaultRole,
    ANCHOR_ARN: o.aws.trustAnchorArn,
    PROFILE_ARN: o.aws.profileArn,
    ROLE_ARN: o.roleArn,
    AWS_ENDPOINT_URL_ROLESANYWHERE: s.aws.ra.url,
    IAMRA_SA_TOKEN_FILE: o.saTokenFile,
    IAMRA_OUTPUT_DIR: o.outputDir,
  };
}
