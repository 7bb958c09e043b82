/**
 * Benchmark: `iamra-vault init` on the devstack over loopback, from process start to file written (the process exits
 * right after writing), p50/p95 over N runs, and max RSS (/usr/bin/time). The devstack runs in this process.
 * Run: npm run build && npx tsx bench/init.bench.ts [--runs 30] [--node <path>]
 *      [--node-options "--max-semi-space-size=1"]
 * (defaults: the Node running the bench, no NODE_OPTIONS; the image sets --max-semi-space-size=1 and runs Node 24)
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startDevstack } from "../devstack/startDevstack.js";
import { podEnvironment } from "../devstack/podEnvironment.js";
import { CLI_PATH } from "../test/support/runCli.js";

const run = promisify(execFile); // asynchronous: the stand-ins in this process must keep answering
const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const runs = Number(arg("runs", "30")) || 30;
const node = arg("node", process.execPath);
const nodeOptions = arg("node-options", "");
const work = await mkdtemp(join(tmpdir(), "iamra-bench-init-"));
const stack = await startDevstack({ portBase: 0, dir: work, tps: 100_000 });
const { info } = stack;
const tokenFile = join(work, "token");
await writeFile(
  tokenFile,
  stack.tokenReview.mintToken({ namespace: "demo", serviceAccount: "app", ttlMs: 24 * 3_600_000 }),
);
const env = {
  PATH: process.env.PATH ?? "",
  ...podEnvironment(info, tokenFile),
  IAMRA_LOG_LEVEL: "warn",
  ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
};

const times: number[] = [];
for (let i = 0; i < runs + 3; i++) {
  const out = join(work, `out-${i}`);
  await mkdir(out);
  const t = process.hrtime.bigint();
  await run(node, [CLI_PATH, "init", "--output-dir", out], { env });
  if (i >= 3) times.push(Number(process.hrtime.bigint() - t) / 1e6); // 3 warm-up runs
}
times.sort((a, b) => a - b);
const pct = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!;
const rss: number[] = [];
if (existsSync("/usr/bin/time")) {
  for (let i = 0; i < 5; i++) {
    const out = join(work, `rss-${i}`);
    await mkdir(out);
    const r = await run("/usr/bin/time", ["-f", "%M", node, CLI_PATH, "init", "--output-dir", out], { env });
    rss.push(Number(r.stderr.trim().split("\n").pop()));
  }
}
console.log(
  JSON.stringify(
    {
      benchmark: "init (process start to credentials file written, devstack on loopback)",
      node: (await run(node, ["--version"])).stdout.trim(),
      nodeOptions,
      runs,
      p50Ms: pct(50),
      p95Ms: pct(95),
      minMs: times[0],
      maxMs: times[times.length - 1],
      maxRssMb: rss.length ? Math.max(...rss) / 1024 : null,
    },
    null,
    2,
  ),
);
await stack.close();
