/**
 * The devstack for a benchmark, in a process of its own (started by startDevstackProcess): starts the stand-ins on
 * free loopback ports in the directory given as argument, writes a service-account token for demo/app there, prints
 * one JSON line { info, tokenFile } and then answers each "cpu" line on stdin with its CPU time so far (ms). It stops
 * when stdin closes, so it never outlives the benchmark.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { startDevstack } from "../../devstack/startDevstack.js";

const dir = process.argv[2];
if (!dir) throw new Error("usage: devstackChild.ts <dir>");
const stack = await startDevstack({ portBase: 0, dir, tps: 100_000 });
const tokenFile = join(dir, "token");
await writeFile(
  tokenFile,
  stack.tokenReview.mintToken({ namespace: "demo", serviceAccount: "app", ttlMs: 24 * 3_600_000 }),
);
process.stdout.write(`${JSON.stringify({ info: stack.info, tokenFile })}\n`);
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (line.trim() !== "cpu") return;
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuMs: (user + system) / 1000 })}\n`);
});
lines.on("close", () => void stack.close().then(() => process.exit(0)));
