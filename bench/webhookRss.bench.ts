/**
 * Benchmark: memory of the real webhook process (`node dist/bin/iamra-vault.cjs webhook`) while it answers admission
 * reviews (test/fixtures/webhook/pod-annotated.json, injected every time) from 4 keep-alive loops over TLS for
 * --seconds. Samples VmRSS and VmHWM (peak) from /proc once a second. ServiceAccount lookups are off, so no API server
 * is involved.
 * Run: npm run build && npx tsx bench/webhookRss.bench.ts [--seconds 60] [--node <path>]
 *      [--node-options "--max-semi-space-size=1"]
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { Agent, request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeServingCa } from "../test/support/tlsFiles.js";
import { exitWithUsageIfAsked } from "./support/usage.js";
import { CLI_PATH } from "../test/support/runCli.js";

exitWithUsageIfAsked(import.meta.url);

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const seconds = Number(arg("seconds", "60"));
const node = arg("node", process.execPath);
const nodeOptions = arg("node-options", "--max-semi-space-size=1");

const work = await mkdtemp(join(tmpdir(), "iamra-bench-webhook-"));
const ca = await makeServingCa();
const serving = await ca.issue();
await writeFile(join(work, "tls.crt"), serving.cert);
await writeFile(join(work, "tls.key"), serving.key);
const webhook = spawn(
  node,
  [
    CLI_PATH,
    "webhook",
    "--host=127.0.0.1",
    "--port=0",
    "--no-service-account-annotations",
    "--sidecar-image=registry.example.com/iamra-vault:0.1.0",
  ],
  {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: work,
      NODE_OPTIONS: nodeOptions,
      IAMRA_WEBHOOK_TLS_CERT_FILE: join(work, "tls.crt"),
      IAMRA_WEBHOOK_TLS_KEY_FILE: join(work, "tls.key"),
      VAULT_ADDR: "https://vault.example.com:8200",
      AWS_REGION: "eu-west-1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  },
);
let url = "";
let text = "";
webhook.stdout.on("data", (c: Buffer) => {
  if (url) return; // the log lines are read until the start line only
  text += c.toString();
  url ||=
    /"msg":"webhook started".*?"url":"([^"]+)"|"url":"([^"]+)".*?"msg":"webhook started"/
      .exec(text)
      ?.slice(1)
      .find(Boolean) ?? "";
});
let stderr = "";
webhook.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
for (let i = 0; i < 300 && !url; i++) await new Promise((r) => setTimeout(r, 100));
if (!url) throw new Error(`the webhook did not start:\n${stderr}\n${text.slice(0, 2000)}`);

const status = (pid: number) => {
  const s = readFileSync(`/proc/${pid}/status`, "utf8");
  const mib = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)![1]) / 1024;
  return { rss: mib("VmRSS"), hwm: mib("VmHWM") };
};
const atStart = status(webhook.pid!);
const body = await readFile(new URL("../test/fixtures/webhook/pod-annotated.json", import.meta.url), "utf8");
const agent = new Agent({ keepAlive: true, maxSockets: 4, ca: ca.caPem });
const load = { total: 0, notPatched: 0, errors: 0 };
const once = () =>
  new Promise<void>((resolve) => {
    const req = request(
      `${url}/mutate`,
      { method: "POST", agent, headers: { "content-type": "application/json" } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          if (!Buffer.concat(chunks).toString().includes('"patchType":"JSONPatch"')) load.notPatched++;
          resolve();
        });
      },
    );
    req.on("error", () => {
      load.errors++;
      resolve();
    });
    req.end(body);
  });
const samples: number[] = [];
const timer = setInterval(() => samples.push(status(webhook.pid!).rss), 1000);
const deadline = Date.now() + seconds * 1000;
await Promise.all(
  [0, 1, 2, 3].map(async () => {
    while (Date.now() < deadline) {
      load.total++;
      await once();
    }
  }),
);
clearInterval(timer);
const end = status(webhook.pid!);
webhook.kill("SIGTERM");
agent.destroy();
const r1 = (x: number) => Math.round(x * 10) / 10;
const third = Math.max(1, Math.floor(samples.length / 3));
const avg = (xs: number[]) => r1(xs.reduce((a, b) => a + b, 0) / xs.length);
console.log(
  JSON.stringify(
    {
      benchmark: "webhook process RSS while answering admission reviews (4 keep-alive TLS loops)",
      node: await new Promise<string>((res) => {
        const p = spawn(node, ["--version"]);
        let v = "";
        p.stdout.on("data", (c: Buffer) => (v += c));
        p.on("close", () => res(v.trim()));
      }),
      nodeOptions,
      seconds,
      reviews: load.total,
      notPatched: load.notPatched,
      errors: load.errors,
      rssMib: { atStart: r1(atStart.rss), current: r1(end.rss), peak: r1(end.hwm) },
      trendMib: { firstThirdAvg: avg(samples.slice(0, third)), lastThirdAvg: avg(samples.slice(-third)) },
    },
    null,
    2,
  ),
);
