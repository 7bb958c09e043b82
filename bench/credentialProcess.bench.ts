/**
 * Benchmark: wall time and max RSS of one `iamra-vault credential-process` call (RSA-2048, and EC P-256 with an
 * intermediate) against the Roles Anywhere stand-in on loopback. Uses hyperfine and /usr/bin/time when installed.
 * Run: npm run build && npx tsx bench/credentialProcess.bench.ts [--runs 50]
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeCertificate } from "../devstack/certificates/makeCertificate.js";
import { startAwsStandIns } from "../test/support/awsStandIns.js";
import { CLI_PATH } from "../test/support/runCli.js";
import { exitWithUsageIfAsked } from "./support/usage.js";
import { writeIdentityFiles } from "./support/identityFiles.js";

exitWithUsageIfAsked(import.meta.url);

const runs = Number(process.argv[process.argv.indexOf("--runs") + 1] ?? 0) || 50;
const aws = await startAwsStandIns({ tps: 100_000 });
const dir = await mkdtemp(join(tmpdir(), "iamra-bench-cp-"));
const root = await makeCertificate({ subject: "CN=Bench Root", ca: true });
const intermediate = await makeCertificate({ subject: "CN=Bench Intermediate", ca: true, issuer: root });
const role = aws.ra.addRole({ name: "bench" });
const arns = [
  "--trust-anchor-arn",
  aws.ra.addTrustAnchor({ name: "bench", caCertificatesPem: root.pem }).arn,
  "--profile-arn",
  aws.ra.addProfile({ name: "bench", roleArns: [role.arn] }).arn,
  "--role-arn",
  role.arn,
  "--endpoint",
  aws.ra.url,
];
const cases = {
  "rsa-2048": await writeIdentityFiles(dir, "rsa", "rsa-2048", root),
  "ec-p256+chain": await writeIdentityFiles(dir, "ec", "ec-p256", intermediate, [intermediate]),
};

// Child processes run asynchronously: the stand-ins live in this process and must keep answering.
const run = promisify(execFile);
const quote = (a: string) => `'${a.replace(/'/g, "'\\''")}'`;
const results: Record<string, unknown> = {};
for (const [name, files] of Object.entries(cases)) {
  const argv = [process.execPath, CLI_PATH, "credential-process", ...arns, ...files];
  await run(argv[0]!, argv.slice(1)); // throws with stderr if the command fails
  const entry: Record<string, unknown> = {};
  if (existsSync("/usr/bin/hyperfine")) {
    const out = join(dir, `${name}.json`);
    await run("hyperfine", [
      "--warmup",
      "3",
      "--runs",
      String(runs),
      "--export-json",
      out,
      "-N",
      argv.map(quote).join(" "),
    ]);
    const r = (JSON.parse(readFileSync(out, "utf8")) as { results: Array<Record<string, number>> }).results[0]!;
    Object.assign(entry, {
      meanMs: r.mean! * 1000,
      stddevMs: r.stddev! * 1000,
      minMs: r.min! * 1000,
      maxMs: r.max! * 1000,
      medianMs: r.median! * 1000,
      runs,
    });
  } else {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = process.hrtime.bigint();
      await run(argv[0]!, argv.slice(1));
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    times.sort((a, b) => a - b);
    Object.assign(entry, {
      meanMs: times.reduce((a, b) => a + b, 0) / runs,
      medianMs: times[Math.floor(runs / 2)],
      runs,
      tool: "node loop",
    });
  }
  if (existsSync("/usr/bin/time")) {
    const rss: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = await run("/usr/bin/time", ["-f", "%M", ...argv]);
      rss.push(Number(t.stderr.trim().split("\n").pop()));
    }
    entry.maxRssMb = Math.max(...rss) / 1024;
  }
  results[name] = entry;
}
const baseline = (
  await run("/usr/bin/time", ["-f", "maxRssKb=%M wallS=%e", process.execPath, "-e", "0"])
).stderr.trim();
console.log(
  JSON.stringify({ benchmark: "credential-process", node: process.version, nodeBaseline: baseline, results }, null, 2),
);
await aws.close();
