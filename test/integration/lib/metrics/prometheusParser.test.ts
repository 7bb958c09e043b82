import { expect } from "chai";
import { spawn } from "node:child_process";
import { createMetrics } from "../../../../lib/deliver/metrics.js";
import { startOpsServer } from "../../../../lib/deliver/opsServer.js";
import { createWebhookMetrics } from "../../../../lib/webhook/webhookMetrics.js";
import { captureLogs } from "../../../support/captureLogs.js";
import { peers } from "../../../support/peers.js";

/** A family as prometheus_client's parser returns it. */
interface ParsedFamily {
  name: string;
  type: string;
  help: string;
  samples: Array<{ name: string; labels: Record<string, string>; value: string }>;
}

// prometheus_client's own parser of text exposition format 0.0.4; values are printed as repr(float) (1.0, inf, nan)
const PARSE = `
import json, sys
from prometheus_client.parser import text_string_to_metric_families
out = []
for f in text_string_to_metric_families(sys.stdin.read()):
    samples = [{"name": s.name, "labels": s.labels, "value": repr(float(s.value))} for s in f.samples]
    out.append({"name": f.name, "type": f.type, "help": f.documentation, "samples": samples})
print(json.dumps(out))
`;

/** Parses `text` with the real Prometheus Python client; rejects with its stderr when it refuses the text. */
function parse(text: string): Promise<ParsedFamily[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(peers.pythonMetrics, ["-c", PARSE], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(stderr))));
    child.stdin.end(text);
  });
}

const family = (families: ParsedFamily[], name: string) => families.find((f) => f.name === name);

/** The default process and Node.js families (counters without their _total, as the parser names them). */
const PROCESS_FAMILIES = [
  ["process_cpu_user_seconds", "counter"],
  ["process_cpu_system_seconds", "counter"],
  ["process_cpu_seconds", "counter"],
  ["process_start_time_seconds", "gauge"],
  ["process_resident_memory_bytes", "gauge"],
  ["process_virtual_memory_bytes", "gauge"],
  ["process_heap_bytes", "gauge"],
  ["process_open_fds", "gauge"],
  ["process_max_fds", "gauge"],
  ...["", "_min", "_max", "_mean", "_stddev", "_p50", "_p90", "_p99"].map((s) => [
    `nodejs_eventloop_lag${s}_seconds`,
    "gauge",
  ]),
  ["nodejs_active_resources", "gauge"],
  ["nodejs_active_resources_total", "gauge"],
  ["nodejs_active_handles", "gauge"],
  ["nodejs_active_handles_total", "gauge"],
  ["nodejs_active_requests", "gauge"],
  ["nodejs_active_requests_total", "gauge"],
  ["nodejs_heap_size_total_bytes", "gauge"],
  ["nodejs_heap_size_used_bytes", "gauge"],
  ["nodejs_external_memory_bytes", "gauge"],
  ["nodejs_heap_space_size_total_bytes", "gauge"],
  ["nodejs_heap_space_size_used_bytes", "gauge"],
  ["nodejs_heap_space_size_available_bytes", "gauge"],
  ["nodejs_version_info", "gauge"],
  ["nodejs_gc_duration_seconds", "histogram"],
];

describe("metrics text read by prometheus_client's parser", function () {
  this.timeout(30_000);

  it("parses the refresher's /metrics: its families, process metrics, escaped labels and histograms", async () => {
    const metrics = createMetrics();
    metrics.recordRefresh("success", "complete");
    metrics.recordRefresh("failure", 'odd "stage"\\\nname');
    metrics.setTimestamp(metrics.credentialsExpiry, 1_900_000_000_500);
    metrics.countRequest("container", 200);
    metrics.upstreamDuration.observe({ upstream: "vault", operation: "pki-sign" }, 0.3);
    const ops = await startOpsServer({
      port: 0,
      isAlive: () => true,
      isReady: () => true,
      metrics,
      log: captureLogs().log,
    });
    let text: string;
    try {
      text = await (await fetch(`${ops.url}/metrics`)).text();
    } finally {
      await ops.close();
    }
    const families = await parse(text);
    expect(families.map((f) => [f.name, f.type])).to.deep.equal([
      ...PROCESS_FAMILIES,
      ["iamra_refresh", "counter"],
      ["iamra_credentials_expiry_timestamp_seconds", "gauge"],
      ["iamra_certificate_expiry_timestamp_seconds", "gauge"],
      ["iamra_last_success_timestamp_seconds", "gauge"],
      ["iamra_upstream_duration_seconds", "histogram"],
      ["iamra_endpoint_requests", "counter"],
    ]);
    expect(family(families, "iamra_refresh")!.samples).to.deep.equal([
      { name: "iamra_refresh_total", labels: { result: "success", stage: "complete" }, value: "1.0" },
      { name: "iamra_refresh_total", labels: { result: "failure", stage: 'odd "stage"\\\nname' }, value: "1.0" },
    ]);
    expect(family(families, "iamra_refresh")!.help).to.equal(
      "Refresh attempts by result and by the stage that failed (complete on success).",
    );
    expect(family(families, "iamra_credentials_expiry_timestamp_seconds")!.samples[0]!.value).to.equal("1900000000.5");
    const upstream = family(families, "iamra_upstream_duration_seconds")!.samples;
    expect(upstream.filter((s) => s.name.endsWith("_bucket")).map((s) => [s.labels.le, s.value])).to.deep.equal([
      ...["0.005", "0.01", "0.025", "0.05", "0.1", "0.25"].map((le) => [le, "0.0"]),
      ...["0.5", "1", "2.5", "5", "10", "30", "+Inf"].map((le) => [le, "1.0"]),
    ]);
    expect(upstream.find((s) => s.name.endsWith("_sum"))!.value).to.equal("0.3");
    const rss = Number(family(families, "process_resident_memory_bytes")!.samples[0]!.value);
    expect(rss).to.be.greaterThan(1024 * 1024);
    const version = family(families, "nodejs_version_info")!.samples[0]!.labels;
    expect(version.version).to.equal(process.version);
  });

  it("parses the webhook's metrics, its unlabelled histogram at zero included", async () => {
    const metrics = createWebhookMetrics();
    metrics.countAdmission("injected");
    metrics.tlsReloads.inc({ result: "failure" });
    const families = await parse(await metrics.registry.metrics());
    expect(families.map((f) => f.name).slice(PROCESS_FAMILIES.length)).to.deep.equal([
      "iamra_webhook_admissions",
      "iamra_webhook_admission_duration_seconds",
      "iamra_webhook_tls_reloads",
      "iamra_webhook_certificate_expiry_timestamp_seconds",
    ]);
    expect(family(families, "iamra_webhook_admissions")!.samples).to.deep.equal([
      { name: "iamra_webhook_admissions_total", labels: { outcome: "injected" }, value: "1.0" },
    ]);
    const duration = family(families, "iamra_webhook_admission_duration_seconds")!.samples;
    expect(duration.map((s) => s.name)).to.include.members([
      "iamra_webhook_admission_duration_seconds_bucket",
      "iamra_webhook_admission_duration_seconds_sum",
      "iamra_webhook_admission_duration_seconds_count",
    ]);
    expect(duration.every((s) => s.value === "0.0")).to.equal(true);
  });

  it("refuses text that breaks the format (the parser is strict enough to catch a bad sample line)", async () => {
    const bad = '# HELP x X.\n# TYPE x gauge\nx{a="unterminated} 1\n';
    const err = await parse(bad).catch((e: Error) => e);
    expect(err).to.be.instanceOf(Error);
  });
});
