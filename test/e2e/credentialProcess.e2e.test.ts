import { expect } from "chai";
import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { X509Certificate } from "node:crypto";
import { promisify } from "node:util";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STSClient, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { fromProcess } from "@aws-sdk/credential-providers";
import { generateKeyPair, type KeyKind } from "../../lib/x509/generateKeyPair.js";
import { makeCertificate, type GeneratedCertificate } from "../../devstack/certificates/makeCertificate.js";
import { startAwsStandIns, type AwsStandIns } from "../support/awsStandIns.js";
import { CLI_PATH, runCli } from "../support/runCli.js";
import { runAwsCli } from "../support/runAwsCli.js";
import { peers } from "../support/peers.js";
import { cryptoKeyPairOf } from "../../devstack/certificates/cryptoKeyPairOf.js";

interface Case {
  kind: KeyKind;
  withIntermediate: boolean;
}
const CASES: Case[] = [
  { kind: "rsa-2048", withIntermediate: false },
  { kind: "rsa-2048", withIntermediate: true },
  { kind: "ec-p256", withIntermediate: false },
  { kind: "ec-p256", withIntermediate: true },
  { kind: "ec-p384", withIntermediate: false },
  { kind: "ec-p384", withIntermediate: true },
];

describe("iamra-vault credential-process (end to end)", function () {
  this.timeout(60_000);
  let aws: AwsStandIns;
  let dir: string;
  let root: GeneratedCertificate;
  let intermediate: GeneratedCertificate;
  let arns: { trustAnchorArn: string; profileArn: string; roleArn: string };

  before(async () => {
    aws = await startAwsStandIns();
    dir = await mkdtemp(join(tmpdir(), "iamra-cp-"));
    root = await makeCertificate({ subject: "CN=E2E Root CA", ca: true });
    intermediate = await makeCertificate({ subject: "CN=E2E Intermediate CA", ca: true, issuer: root });
    const role = aws.ra.addRole({ name: "e2e-role" });
    arns = {
      trustAnchorArn: aws.ra.addTrustAnchor({ name: "e2e", caCertificatesPem: root.pem }).arn,
      profileArn: aws.ra.addProfile({ name: "e2e", roleArns: [role.arn] }).arn,
      roleArn: role.arn,
    };
  });
  after(async () => aws?.close());

  async function writeIdentity(c: Case): Promise<string[]> {
    const pair = await generateKeyPair(c.kind);
    const leaf = await makeCertificate({
      subject: `CN=cp-${c.kind}`,
      issuer: c.withIntermediate ? intermediate : root,
      keys: await cryptoKeyPairOf(pair),
    });
    const base = join(dir, `${c.kind}-${c.withIntermediate}`);
    const keyPem = pair.signingKey.keyObject.export({ type: "pkcs8", format: "pem" });
    await writeFile(`${base}.crt`, leaf.pem);
    await writeFile(`${base}.key`, keyPem, { mode: 0o600 });
    const args = ["--certificate", `${base}.crt`, "--private-key", `${base}.key`];
    if (c.withIntermediate) {
      await writeFile(`${base}-chain.pem`, intermediate.pem);
      args.push("--intermediates", `${base}-chain.pem`);
    }
    return args;
  }

  const common = () => [
    "credential-process",
    "--trust-anchor-arn",
    arns.trustAnchorArn,
    "--profile-arn",
    arns.profileArn,
    "--role-arn",
    arns.roleArn,
    "--endpoint",
    aws.ra.url,
  ];

  for (const c of CASES) {
    it(`prints credential_process JSON for ${c.kind} ${c.withIntermediate ? "with" : "without"} an intermediate`, async () => {
      const files = await writeIdentity(c);
      const before = aws.ra.requests.length;
      const run = await runCli([...common(), ...files]);
      expect(run.stderr).to.equal("");
      expect(run.code).to.equal(0);
      expect(run.stdout.endsWith("\n")).to.equal(false);
      const out = JSON.parse(run.stdout) as Record<string, unknown>;
      expect(Object.keys(out)).to.deep.equal([
        "Version",
        "AccessKeyId",
        "SecretAccessKey",
        "SessionToken",
        "Expiration",
      ]);
      expect(out.Version).to.equal(1);
      const session = aws.sessions.lookup(out.AccessKeyId as string);
      expect(session, "the stand-in issued this key").to.not.equal(undefined);
      expect(session!.secretAccessKey).to.equal(out.SecretAccessKey);
      expect(out.Expiration).to.equal(session!.expiration.toISOString().replace(/\.\d{3}Z$/, "Z"));
      const seen = aws.ra.requests.slice(before);
      expect(seen.map((r) => r.status)).to.deep.equal([201]);
      expect(String(seen[0]!.headers["authorization"])).to.match(
        c.kind.startsWith("rsa") ? /^AWS4-X509-RSA-SHA256 / : /^AWS4-X509-ECDSA-SHA256 /,
      );
      expect(Boolean(seen[0]!.headers["x-amz-x509-chain"])).to.equal(c.withIntermediate);
    });
  }

  it("accepts a PKCS#12 --certificate without --private-key and sends the chain header as [leaf, intermediate]", async () => {
    const [, crt, , key, , chain] = await writeIdentity({ kind: "ec-p256", withIntermediate: true });
    const p12 = join(dir, "identity.p12");
    await promisify(execFile)("openssl", [
      "pkcs12",
      "-export",
      "-inkey",
      key!,
      "-in",
      crt!,
      "-certfile",
      chain!,
      "-passout",
      "pass:",
      "-out",
      p12,
    ]);
    const before = aws.ra.requests.length;
    const run = await runCli([...common(), "--certificate", p12]);
    expect(run.stderr).to.equal("");
    expect(run.code).to.equal(0);
    expect(aws.sessions.lookup((JSON.parse(run.stdout) as { AccessKeyId: string }).AccessKeyId)).to.not.equal(
      undefined,
    );
    const seen = aws.ra.requests.slice(before);
    expect(seen.map((r) => r.status)).to.deep.equal([201]);
    const header = String(seen[0]!.headers["x-amz-x509-chain"]).split(",");
    const leafB64 = new X509Certificate(await readFile(crt!)).raw.toString("base64");
    expect(header[0]).to.equal(leafB64);
    expect(header.slice(1)).to.deep.equal([new X509Certificate(intermediate.pem).raw.toString("base64")]);
    expect(String(seen[0]!.headers["x-amz-x509"])).to.equal(leafB64);
  });

  it("exits 1 with AccessDeniedException on stderr and nothing on stdout for an untrusted certificate", async () => {
    const stranger = await makeCertificate({ subject: "CN=Stranger CA", ca: true });
    const pair = await generateKeyPair("ec-p256");
    const leaf = await makeCertificate({
      subject: "CN=untrusted",
      issuer: stranger,
      keys: await cryptoKeyPairOf(pair),
    });
    await writeFile(join(dir, "u.crt"), leaf.pem);
    await writeFile(join(dir, "u.key"), pair.signingKey.keyObject.export({ type: "pkcs8", format: "pem" }));
    const run = await runCli([...common(), "--certificate", join(dir, "u.crt"), "--private-key", join(dir, "u.key")]);
    expect(run.code).to.equal(1);
    expect(run.stdout).to.equal("");
    expect(run.stderr).to.contain("RA_ACCESS_DENIED");
    expect(run.stderr).to.contain("AccessDeniedException");
  });

  it("exits 1 with KEY_CERT_MISMATCH before sending anything when key and certificate do not match", async () => {
    const a = await writeIdentity({ kind: "ec-p256", withIntermediate: false });
    const b = await writeIdentity({ kind: "ec-p384", withIntermediate: false });
    const before = aws.ra.requests.length;
    const run = await runCli([...common(), "--certificate", a[1]!, "--private-key", b[3]!]);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain("KEY_CERT_MISMATCH");
    expect(aws.ra.requests.length).to.equal(before);
  });

  it("exits 2 on a usage error (unknown flag) and on missing required settings", async () => {
    expect((await runCli(["credential-process", "--bogus"])).code).to.equal(2);
    const run = await runCli(["credential-process"]);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain("--certificate");
    expect(run.stderr).to.contain("--role-arn");
  });

  describe("with real AWS SDKs reading credential_process from an AWS config file", () => {
    let configFile: string;
    before(async () => {
      const files = await writeIdentity({ kind: "ec-p256", withIntermediate: true });
      const cmd = [process.execPath, CLI_PATH, ...common(), ...files].join(" ");
      configFile = join(dir, "aws-config");
      await writeFile(configFile, `[profile iamra]\nregion = us-east-1\ncredential_process = ${cmd}\n`);
    });

    it("@aws-sdk/client-sts with fromProcess calls GetCallerIdentity and the STS stand-in verifies the signature", async () => {
      const before = aws.sts.requests.length;
      const client = new STSClient({
        region: "us-east-1",
        endpoint: aws.sts.url,
        credentials: fromProcess({ profile: "iamra", configFilepath: configFile, filepath: join(dir, "none") }),
      });
      const out = await client.send(new GetCallerIdentityCommand({}));
      expect(out.Arn).to.match(/^arn:aws:sts::\d{12}:assumed-role\/e2e-role\/.+/);
      const seen = aws.sts.requests.slice(before);
      expect(seen.map((r) => [r.action, r.status])).to.deep.equal([["GetCallerIdentity", 200]]);
      expect(aws.sessions.lookup(seen[0]!.accessKeyId!)).to.not.equal(undefined);
    });

    it("botocore with credential_process calls GetCallerIdentity and the STS stand-in verifies it", async () => {
      const before = aws.sts.requests.length;
      const script = [
        "import boto3",
        `c = boto3.session.Session(profile_name="iamra").client("sts", endpoint_url="${aws.sts.url}")`,
        "print(c.get_caller_identity()['Arn'])",
      ].join("\n");
      const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const p = spawn(peers.python, ["-c", script], {
          env: {
            PATH: peers.path,
            HOME: dir,
            AWS_CONFIG_FILE: configFile,
            AWS_SHARED_CREDENTIALS_FILE: join(dir, "none"),
          },
        });
        let stdout = "";
        let stderr = "";
        p.stdout.on("data", (d: Buffer) => (stdout += d));
        p.stderr.on("data", (d: Buffer) => (stderr += d));
        p.on("close", (code) => resolve({ code, stdout, stderr }));
      });
      expect(out.stderr).to.equal("");
      expect(out.code).to.equal(0);
      expect(out.stdout.trim()).to.match(/^arn:aws:sts::\d{12}:assumed-role\/e2e-role\/.+/);
      const seen = aws.sts.requests.slice(before);
      expect(seen.map((r) => [r.action, r.status])).to.deep.equal([["GetCallerIdentity", 200]]);
    });

    it("the AWS CLI with credential_process calls sts get-caller-identity", async () => {
      const before = aws.sts.requests.length;
      const out = await runAwsCli(
        ["sts", "get-caller-identity", "--profile", "iamra", "--endpoint-url", aws.sts.url, "--output", "json"],
        { HOME: dir, AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: join(dir, "none") },
      );
      expect(out.stderr).to.equal("");
      expect(out.code).to.equal(0);
      expect((JSON.parse(out.stdout) as { Arn: string }).Arn).to.match(
        /^arn:aws:sts::\d{12}:assumed-role\/e2e-role\/.+/,
      );
      expect(aws.sts.requests.slice(before).map((r) => [r.action, r.status])).to.deep.equal([
        ["GetCallerIdentity", 200],
      ]);
    });
  });
});
