/**
 * Benchmark: `iamra-vault credential-process` and the official helper's (aws_signing_helper v1.4.0, from the project's
 * test peers) side by side in ONE hyperfine run per case, against the same Roles Anywhere stand-in on loopback, with
 * the same certificate and key files (RSA-2048; EC P-256 with an intermediate).
 * NODE_EXTRA_CA_CERTS is removed from the benchmarked commands' environment: when set, Node reads the bundle at every
 * start (about 34 ms per run on a 2-core machine), which measures the machine, not the tool.
 * Run: npm run bench:credential-process:helper [-- --runs 30]
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { makeCertificate } from "../devstack/certificates/makeCertificate.js";
import { startAwsStandIns } from "../test/support/awsStandIns.js";
import { peers } from "../test/support/peers.js";
import { CLI_PATH } from "../test/support/runCli.js";
import { exitWithUsageIfAsked } from "./support/usage.js";
import { writeIdentityFiles } from "./support/identityFiles.js";

exitWithUsageIfAsked(import.meta.url);

const run = promisify(execFile);
const runs = Number(process.argv[process.argv.indexOf("--runs") + 1] ?? 0) || 30;
const hyperfineVersion = await run("hyperfine", ["--version"])
  .then((r) => r.stdout.trim())
  .catch(() => {
    throw new Error("hyperfine is not installed (Debian/Ubuntu: apt-get install hyperfine)");
  });
const helper = peers.signingHelper;

const aws = await startAwsStandIns({ tps: 100_000 });
const dir = await mkdtemp(join(tmpdir(), "iamra-bench-vs-helper-"));
const root = await makeCertificate({ subject: "CN=Bench Root", ca: true });
const intermediate = await makeCertificate({ subject: "CN=Bench Intermediate", ca: true, issuer: root });
const role = aws.ra.addRole({ name: "bench" });
const common = [
  "--trust-anchor-arn",
  aws.ra.addTrustAnchor({ name: "bench", caCertificatesPem: root.pem }).arn,
  "--profile-arn",
  aws.ra.addProfile({ name: "bench", roleArns: [role.arn] }).arn,
  "--role-arn",
  role.arn,
  "--endpoint",
  aws.ra.url,
  "--region",
  "us-east-1",
];
const cases = {
  "rsa-2048": await writeIdentityFiles(dir, "rsa", "rsa-2048", root),
  "ec-p256+chain": await writeIdentityFiles(dir, "ec", "ec-p256", intermediate, [intermediate]),
};

const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
const quote = (a: string) => `'${a.replace(/'/g, "'\\''")}'`;
interface HyperfineResult {
  command: string;
  mean: number;
  stddev: number;
  median: number;
  min: number;
  max: number;
}
const ms = (s: number) => Math.round(s * 10_000) / 10;
const results: Record<string, unknown> = {};
for (const [name, files] of Object.entries(cases)) {
  const commands = {
    "iamra-vault": [process.execPath, CLI_PATH, "credential-process", ...common, ...files],
    aws_signing_helper: [helper, "credential-process", ...common, ...files],
  };
  for (const argv of Object.values(commands)) await run(argv[0]!, argv.slice(1), { env }); // throws if one fails
  const out = join(dir, `${name}.json`);
  await run(
    "hyperfine",
    [
      "-N",
      "--warmup",
      "3",
      "--runs",
      String(runs),
      "--export-json",
      out,
      ...Object.entries(commands).flatMap(([label, argv]) => ["-n", label, argv.map(quote).join(" ")]),
    ],
    { env, maxBuffer: 16 * 1024 * 1024 },
  );
  const r = (JSON.parse(readFileSync(out, "utf8")) as { results: HyperfineResult[] }).results;
  const [ours, theirs] = [r[0]!, r[1]!];
  results[name] = {
    "iamra-vault": { meanMs: ms(ours.mean), stddevMs: ms(ours.stddev), medianMs: ms(ours.median), minMs: ms(ours.min) },
    aws_signing_helper: {
      meanMs: ms(theirs.mean),
      stddevMs: ms(theirs.stddev),
      medianMs: ms(theirs.median),
      minMs: ms(theirs.min),
    },
    meanRatio: Math.round((ours.mean / theirs.mean) * 100) / 100,
  };
}
// Node's own start-up, for scale
await run(
  "hyperfine",
  [
    "-N",
    "--warmup",
    "3",
    "--runs",
    String(runs),
    "--export-json",
    join(dir, "node.json"),
    `${quote(process.execPath)} -e 0`,
  ],
  { env },
);
const node = (JSON.parse(readFileSync(join(dir, "node.json"), "utf8")) as { results: HyperfineResult[] }).results[0]!;
console.log(
  JSON.stringify(
    {
      benchmark: "credential-process: iamra-vault vs aws_signing_helper (one hyperfine run per case)",
      hyperfine: hyperfineVersion,
      node: process.version,
      runs,
      nodeExtraCaCerts: "unset for the measured commands",
      nodeStartOnly: { meanMs: ms(node.mean), stddevMs: ms(node.stddev) },
      results,
    },
    null,
    2,
  ),
);
await aws.close();
