import { X509Certificate } from "node:crypto";
import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "chai";
import { parse } from "ini";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromIni } from "@aws-sdk/credential-providers";
import { jsonLines, runCli, type CliRun } from "../../support/runCli.js";
import { podEnv, startOpenBaoStack, type AwsSetup, type OpenBaoStack } from "../../support/openbaoStack.js";

const SPIFFE_APP = "spiffe://cluster.local/ns/demo/sa/app";
const SPIFFE_OTHER = "spiffe://cluster.local/ns/demo/sa/other";

describe("iamra-vault init against a real OpenBao server", function () {
  this.timeout(90_000);
  let s: OpenBaoStack;
  let aws: AwsSetup;
  let n = 0;

  before(async () => {
    s = await startOpenBaoStack();
    const applied = await s.vaultConfig(["apply"]);
    expect(applied.code, applied.stderr).to.equal(0);
    aws = await s.trustInAws();
  });
  after(async () => s?.close());

  /** Runs init as <namespace>/<sa> with `vaultRole` and `roleArn`; returns the run and its output directory. */
  async function init(sa: string, vaultRole: string, roleArn: string, extraEnv: Record<string, string> = {}) {
    const out = join(s.dir, `out-${++n}`);
    await mkdir(out, { recursive: true });
    const saTokenFile = await s.saTokenFile("demo", sa);
    const env = { ...podEnv(s, { aws, saTokenFile, vaultRole, roleArn, outputDir: out }), ...extraEnv };
    return { run: await runCli(["init", "--verify", "--sts-endpoint", s.aws.sts.url], { env }), out };
  }

  /** The error code of a failed run's last log line. */
  function errorCode(run: CliRun): string | undefined {
    return (jsonLines(run.stdout).pop()?.error as { code?: string } | undefined)?.code;
  }

  /** The URI SANs of a certificate. */
  function uriSans(cert: X509Certificate): string[] {
    return (cert.subjectAltName ?? "")
      .split(", ")
      .filter((n) => n.startsWith("URI:"))
      .map((n) => n.slice(4));
  }

  /** The certificates presented to Roles Anywhere since request number `from` (leaf of each CreateSession). */
  function presentedLeaves(from: number): X509Certificate[] {
    const der = (r: { headers: Record<string, unknown> }) => Buffer.from(String(r.headers["x-amz-x509"]), "base64");
    return s.aws.ra.requests.slice(from).map((r) => new X509Certificate(der(r)));
  }

  it("writes credentials from an OpenBao-signed certificate that the JS SDK uses with the STS stand-in", async () => {
    const raFrom = s.aws.ra.requests.length;
    const { run, out } = await init("app", "demo", aws.roleArns.demo!);
    expect(run.code, run.stderr).to.equal(0);
    const doc = parse(await readFile(join(out, "credentials"), "utf8")) as Record<string, Record<string, string>>;
    const session = s.aws.sessions.lookup(doc.default!.aws_access_key_id!);
    expect(session, "credentials issued by the Roles Anywhere stand-in").to.not.equal(undefined);
    expect(session!.tags["x509SAN/URI"]).to.equal(SPIFFE_APP);
    expect(session!.roleArn).to.equal(aws.roleArns.demo);

    // the certificate came from OpenBao's intermediate (not from a stand-in)
    const intermediate = new X509Certificate((await s.bao.api("GET", "pki/cert/ca")).body.data.certificate as string);
    const [leaf] = presentedLeaves(raFrom);
    expect(leaf, "one CreateSession").to.not.equal(undefined);
    const signedByOpenBao = leaf!.checkIssued(intermediate) && leaf!.verify(intermediate.publicKey);
    expect(signedByOpenBao, "leaf signed by OpenBao's pki").to.equal(true);
    expect(uriSans(leaf!)).to.deep.equal([SPIFFE_APP]);

    const client = new STSClient({
      region: "us-east-1",
      endpoint: s.aws.sts.url,
      credentials: fromIni({
        filepath: join(out, "credentials"),
        configFilepath: join(out, "no-config"),
        profile: "default",
      }),
    });
    try {
      const who = await client.send(new GetCallerIdentityCommand({}));
      expect(who.Arn).to.equal(session!.assumedRoleArn);
    } finally {
      client.destroy();
    }
    const verified = jsonLines(run.stdout).find((l) => l.msg === "credentials verified with sts");
    expect(verified?.arn).to.equal(session!.assumedRoleArn);
  });

  describe("identity binding on the real server: service account B (demo/other) against A (demo/app)", () => {
    it("B gets its own certificate and role (the control for the refusals below)", async () => {
      const { run, out } = await init("other", "other", aws.roleArns.other!);
      expect(run.code, run.stderr).to.equal(0);
      const doc = parse(await readFile(join(out, "credentials"), "utf8")) as Record<string, Record<string, string>>;
      expect(s.aws.sessions.lookup(doc.default!.aws_access_key_id!)!.tags["x509SAN/URI"]).to.equal(SPIFFE_OTHER);
    });

    it("B cannot log in with A's Vault role", async () => {
      const { run, out } = await init("other", "demo", aws.roleArns.demo!);
      expect(run.code).to.equal(1);
      expect(errorCode(run)).to.equal("VAULT_LOGIN_DENIED");
      expect(run.stderr).to.match(/service account name not authorized/i);
      expect(await readdir(out)).to.deep.equal([]);
    });

    it("B's Vault token cannot sign with A's PKI role", async () => {
      const { run, out } = await init("other", "other", aws.roleArns.other!, { IAMRA_PKI_ROLE: "demo" });
      expect(run.code).to.equal(1);
      expect(errorCode(run)).to.equal("VAULT_PKI_DENIED");
      expect(await readdir(out)).to.deep.equal([]);
    });

    for (const [what, extra] of [
      ["A's SPIFFE ID as URI SAN", { IAMRA_URI_SAN: SPIFFE_APP }],
      ["A's name as common name", { IAMRA_COMMON_NAME: "app.demo" }],
    ] as const) {
      it(`OpenBao refuses B a certificate with ${what}`, async () => {
        const raFrom = s.aws.ra.requests.length;
        const { run, out } = await init("other", "other", aws.roleArns.other!, extra);
        expect(run.code).to.equal(1);
        expect(errorCode(run)).to.equal("VAULT_PKI_REFUSED");
        expect(s.aws.ra.requests.length, "no CreateSession").to.equal(raFrom);
        expect(await readdir(out)).to.deep.equal([]);
      });
    }

    it("Roles Anywhere refuses B's certificate for A's AWS role (the exported trust policy)", async () => {
      const raFrom = s.aws.ra.requests.length;
      const { run, out } = await init("other", "other", aws.roleArns.demo!);
      expect(run.code).to.equal(1);
      expect(errorCode(run)).to.equal("RA_ACCESS_DENIED");
      const leaves = presentedLeaves(raFrom);
      expect(leaves.length, "B's certificate was presented").to.be.greaterThan(0);
      expect(leaves.map(uriSans)).to.deep.equal(leaves.map(() => [SPIFFE_OTHER]));
      expect(await readdir(out)).to.deep.equal([]);
    });
  });
});
