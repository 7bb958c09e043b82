/**
 * The official IAM Roles Anywhere credential helper (aws_signing_helper) against the Roles Anywhere stand-in, with
 * certificates issued by a real OpenBao PKI (root and intermediate mounts): accepted as issued, refused when tampered.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startOpenBao, type OpenBao } from "../../support/openbao.js";
import { peers } from "../../support/peers.js";
import { startAwsStandIns, type AwsStandIns } from "../../support/awsStandIns.js";
import { runCli } from "../../support/runCli.js";
import { startTamperingProxy, type Tamper } from "./tamperingProxy.js";
import { createIntermediate, createLeafRole, createRoot, issueLeaf, type IssuedLeaf } from "./openBaoPkiKit.js";

const exec = promisify(execFile);

/** What one helper run did: exit code, output, and the stand-in's record of the request it answered. */
interface HelperRun {
  code: number;
  stdout: string;
  stderr: string;
  recorded?: { status: number; errorCode?: string; headers: Record<string, unknown> };
}

describe("Roles Anywhere stand-in with the official credential helper and OpenBao certificates", function () {
  this.timeout(120_000);
  let bao: OpenBao;
  let aws: AwsStandIns;
  let dir: string;
  let rootPem: string;
  let intermediatePem: string;
  let arns: string[];
  const proxies: Server[] = [];
  /** Issued leaves by name, written as <name>.crt / <name>.key (and derived files) in `dir`. */
  const leaves: Record<string, IssuedLeaf> = {};

  async function writeLeaf(name: string, leaf: IssuedLeaf): Promise<void> {
    leaves[name] = leaf;
    await writeFile(join(dir, `${name}.crt`), leaf.certificatePem);
    await writeFile(join(dir, `${name}.key`), leaf.privateKeyPem, { mode: 0o600 });
  }

  /** Runs the helper's credential-process with these file flags against `endpoint` (default: the stand-in). */
  async function runHelper(files: string[], endpoint = aws.ra.url): Promise<HelperRun> {
    const before = aws.ra.requests.length;
    const args = [
      "credential-process",
      ...files.flatMap((f, i) => (i % 2 ? [join(dir, f)] : [f])),
      ...arns,
      "--endpoint",
      endpoint,
      "--region",
      "us-east-1",
    ];
    const run = await exec(peers.signingHelper, args, { timeout: 30_000, env: { PATH: "/usr/bin:/bin", HOME: dir } })
      .then((r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }))
      .catch((e: { code?: number; stdout?: string; stderr?: string }) => ({
        code: typeof e.code === "number" ? e.code : -1,
        stdout: e.stdout ?? "",
        stderr: e.stderr ?? String(e),
      }));
    const recorded = aws.ra.requests.slice(before);
    expect(recorded.length, `requests seen: ${recorded.length}; helper stderr: ${run.stderr}`).to.be.at.most(1);
    return { ...run, recorded: recorded[0] as HelperRun["recorded"] };
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-helper-bao-"));
    void peers.signingHelper; // fails with the peer's name when the helper is not installed
    bao = await startOpenBao();
    rootPem = await createRoot(bao, "helper-root", "Helper Test Root CA");
    intermediatePem = await createIntermediate(bao, "helper-int", "helper-root", "Helper Test Intermediate CA");
    const rsaRole = await createLeafRole(bao, "helper-root", { keyType: "rsa", keyBits: 2048 });
    const ec256Role = await createLeafRole(bao, "helper-int", { keyType: "ec", keyBits: 256 });
    const ec384Role = await createLeafRole(bao, "helper-int", { keyType: "ec", keyBits: 384 });
    await writeLeaf("rsa", await issueLeaf(bao, "helper-root", rsaRole, { commonName: "rsa" }));
    await writeLeaf("ec256", await issueLeaf(bao, "helper-int", ec256Role, { commonName: "ec256" }));
    await writeLeaf("ec384", await issueLeaf(bao, "helper-int", ec384Role, { commonName: "ec384" }));
    await writeFile(join(dir, "chain.pem"), intermediatePem);

    // PKCS#8 from the RSA key; PKCS#12 (SHA1/3DES, empty password: what the helper reads) of the EC P-256 leaf + chain
    await exec("openssl", [
      "pkcs8",
      "-topk8",
      "-nocrypt",
      "-in",
      join(dir, "rsa.key"),
      "-out",
      join(dir, "rsa.p8.key"),
    ]);
    await exec("openssl", [
      "pkcs12",
      "-export",
      "-inkey",
      join(dir, "ec256.key"),
      "-in",
      join(dir, "ec256.crt"),
      "-certfile",
      join(dir, "chain.pem"),
      "-passout",
      "pass:",
      "-certpbe",
      "PBE-SHA1-3DES",
      "-keypbe",
      "PBE-SHA1-3DES",
      "-macalg",
      "sha1",
      "-out",
      join(dir, "ec256.p12"),
    ]);

    // another CA on the same server, which the trust anchor does not include
    await createRoot(bao, "other-root", "Other Root CA");
    await writeLeaf(
      "other",
      await issueLeaf(bao, "other-root", await createLeafRole(bao, "other-root", { keyType: "rsa", keyBits: 2048 }), {
        commonName: "other",
      }),
    );

    aws = await startAwsStandIns({ tps: 1000 });
    const role = aws.ra.addRole({ name: "helper" });
    arns = [
      "--trust-anchor-arn",
      aws.ra.addTrustAnchor({ name: "openbao-root", caCertificatesPem: rootPem }).arn,
      "--profile-arn",
      aws.ra.addProfile({ name: "helper", roleArns: [role.arn] }).arn,
      "--role-arn",
      role.arn,
    ];
  });

  after(async () => {
    for (const p of proxies) p.close();
    await aws?.close();
    await bao?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const accepted: Array<{ name: string; leaf: string; files: string[]; algorithm: string; chain: boolean }> = [
    {
      name: "RSA 2048 (PKCS#1 key) issued by the root",
      leaf: "rsa",
      files: ["--certificate", "rsa.crt", "--private-key", "rsa.key"],
      algorithm: "AWS4-X509-RSA-SHA256",
      chain: false,
    },
    {
      name: "EC P-256 issued by the intermediate, with the chain",
      leaf: "ec256",
      files: ["--certificate", "ec256.crt", "--private-key", "ec256.key", "--intermediates", "chain.pem"],
      algorithm: "AWS4-X509-ECDSA-SHA256",
      chain: true,
    },
    {
      name: "EC P-384 issued by the intermediate, with the chain",
      leaf: "ec384",
      files: ["--certificate", "ec384.crt", "--private-key", "ec384.key", "--intermediates", "chain.pem"],
      algorithm: "AWS4-X509-ECDSA-SHA256",
      chain: true,
    },
    {
      name: "RSA 2048 with a PKCS#8 key (openssl)",
      leaf: "rsa",
      files: ["--certificate", "rsa.crt", "--private-key", "rsa.p8.key"],
      algorithm: "AWS4-X509-RSA-SHA256",
      chain: false,
    },
  ];
  for (const c of accepted) {
    it(`accepts the helper's request with ${c.name}`, async () => {
      const run = await runHelper(c.files);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.recorded?.status).to.equal(201);
      const out = JSON.parse(run.stdout) as { Version: number; AccessKeyId: string; Expiration: string };
      expect(out.Version).to.equal(1);
      expect(aws.sessions.lookup(out.AccessKeyId), "session in the stand-in's store").to.not.equal(undefined);
      const auth = String(run.recorded!.headers.authorization);
      expect(auth.startsWith(`${c.algorithm} Credential=`), auth).to.equal(true);
      const serial = BigInt(`0x${new X509Certificate(leaves[c.leaf]!.certificatePem).serialNumber}`).toString();
      expect(auth).to.contain(`Credential=${serial}/`);
      expect(run.recorded!.headers["x-amz-x509-chain"] !== undefined).to.equal(c.chain);
    });
  }

  it("gets no request from helper v1.4.0 for an openssl PKCS#12 file, and accepts iamra-vault's with it", async () => {
    // v1.4.0 fails on every openssl PKCS#12 layout it documents (SHA1/3DES, empty password) before sending anything
    const helper = await runHelper(["--certificate", "ec256.p12"]);
    expect(helper.code).to.equal(1);
    expect(helper.stderr).to.contain("unsupported algorithm");
    expect(helper.recorded).to.equal(undefined);
    const ours = await runCli([
      "credential-process",
      "--certificate",
      join(dir, "ec256.p12"),
      ...arns,
      "--endpoint",
      aws.ra.url,
      "--region",
      "us-east-1",
    ]);
    expect(ours.code, ours.stderr).to.equal(0);
    const last = aws.ra.requests.at(-1)!;
    expect(last.status).to.equal(201);
    expect(String(last.headers.authorization)).to.match(/^AWS4-X509-ECDSA-SHA256 Credential=/);
    expect(last.headers["x-amz-x509-chain"]).to.be.a("string");
  });

  it("passes requests through the test proxy unchanged when it tampers with nothing", async () => {
    const proxy = await startTamperingProxy(aws.ra.url, (_h, body) => body);
    proxies.push(proxy);
    const run = await runHelper(["--certificate", "rsa.crt", "--private-key", "rsa.key"], proxy.url);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.recorded?.status).to.equal(201);
  });

  const tampered: Array<{ name: string; tamper: Tamper }> = [
    { name: "the signed body is changed on the way", tamper: (_h, body) => body.replace("3600", "3599") },
    {
      name: "the signed X-Amz-Date header is moved by one second on the way",
      tamper: (h, body) => ((h["x-amz-date"] = oneSecondLater(String(h["x-amz-date"]))), body),
    },
    {
      name: "the certificate header is replaced by another certificate from the same CA",
      tamper: (h, body) => ((h["x-amz-x509"] = derBase64(leaves.ec384!.certificatePem)), body),
    },
  ];
  for (const c of tampered) {
    it(`refuses the helper's request (403, helper exits 1) when ${c.name}`, async () => {
      const proxy = await startTamperingProxy(aws.ra.url, c.tamper);
      proxies.push(proxy);
      const run = await runHelper(
        ["--certificate", "ec256.crt", "--private-key", "ec256.key", "--intermediates", "chain.pem"],
        proxy.url,
      );
      expect(run.recorded?.status, run.stderr).to.equal(403);
      expect(run.recorded?.errorCode).to.equal("AccessDeniedException");
      expect(run.code).to.equal(1);
      expect(run.stdout).to.equal("");
    });
  }

  const refused = [
    {
      name: "the certificate comes from a CA outside the trust anchor",
      files: ["--certificate", "other.crt", "--private-key", "other.key"],
    },
    { name: "the intermediate is not sent", files: ["--certificate", "ec256.crt", "--private-key", "ec256.key"] },
    {
      name: "the key does not belong to the certificate",
      files: ["--certificate", "ec256.crt", "--private-key", "ec384.key", "--intermediates", "chain.pem"],
    },
  ];
  for (const c of refused) {
    it(`refuses the helper's request (403, helper exits 1) when ${c.name}`, async () => {
      const run = await runHelper(c.files);
      expect(run.recorded?.status, run.stderr).to.equal(403);
      expect(run.recorded?.errorCode).to.equal("AccessDeniedException");
      expect(run.code).to.equal(1);
    });
  }

  it("refuses the helper's request (403, helper exits 1) when the certificate has expired", async () => {
    const role = await createLeafRole(bao, "helper-root", { keyType: "rsa", keyBits: 2048 });
    await writeLeaf("short", await issueLeaf(bao, "helper-root", role, { commonName: "short", ttl: "3s" }));
    const notAfter = new Date(new X509Certificate(leaves.short!.certificatePem).validTo).getTime();
    await new Promise((r) => setTimeout(r, Math.max(0, notAfter - Date.now()) + 1_500));
    const run = await runHelper(["--certificate", "short.crt", "--private-key", "short.key"]);
    expect(run.recorded?.status, run.stderr).to.equal(403);
    expect(run.recorded?.errorCode).to.equal("AccessDeniedException");
    expect(run.code).to.equal(1);
  });
});

/** The base64 DER of a PEM certificate (the form of the X-Amz-X509 header). */
function derBase64(pem: string): string {
  return new X509Certificate(pem).raw.toString("base64");
}

/** An X-Amz-Date (yyyymmddThhmmssZ) one second later. */
function oneSecondLater(amzDate: string): string {
  const iso = amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z");
  return new Date(Date.parse(iso) + 1000).toISOString().replace(/[-:]|\.\d{3}/g, "");
}
