import { expect } from "chai";
import { createMetrics, type Metrics } from "../../../../lib/deliver/metrics.js";
import { startOpsServer, type OpsServer, type ProbeResult } from "../../../../lib/deliver/opsServer.js";
import { captureLogs } from "../../../support/captureLogs.js";

describe("startOpsServer", () => {
  let ops: OpsServer;
  let metrics: Metrics;
  let alive: ProbeResult;
  let ready: () => ProbeResult;

  beforeEach(async () => {
    metrics = createMetrics({ processMetrics: false });
    alive = true;
    ready = () => false;
    ops = await startOpsServer({
      port: 0,
      isAlive: () => alive,
      isReady: () => ready(),
      metrics,
      log: captureLogs().log,
    });
  });
  afterEach(() => ops.close());

  it("listens on 127.0.0.1 by default", () => {
    expect(ops.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("answers /healthz 200 while alive and 503 when not", async () => {
    let res = await fetch(`${ops.url}/healthz`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({ status: "ok" });
    alive = { ok: false, reason: "refresh loop stalled for 600 s" };
    res = await fetch(`${ops.url}/healthz`);
    expect(res.status).to.equal(503);
    expect(await res.json()).to.deep.equal({ status: "unhealthy", reason: "refresh loop stalled for 600 s" });
  });

  it("answers /readyz 503 with the reason until ready, then 200", async () => {
    ready = () => ({ ok: false, reason: "no credentials obtained yet" });
    let res = await fetch(`${ops.url}/readyz`);
    expect(res.status).to.equal(503);
    expect(res.headers.get("content-type")).to.equal("application/json");
    expect(await res.json()).to.deep.equal({ status: "not ready", reason: "no credentials obtained yet" });
    ready = () => ({ ok: true, reason: "credentials valid until 2030-01-01T00:00:00Z" });
    res = await fetch(`${ops.url}/readyz`);
    expect(res.status).to.equal(200);
    expect(((await res.json()) as { reason: string }).reason).to.contain("2030");
  });

  it("answers 503 when a probe throws", async () => {
    ready = () => {
      throw new Error("boom");
    };
    const res = await fetch(`${ops.url}/readyz`);
    expect(res.status).to.equal(503);
    expect(((await res.json()) as { reason: string }).reason).to.equal("probe failed: boom");
  });

  it("serves the refresher metrics in Prometheus text format", async () => {
    metrics.recordRefresh("success", "complete");
    metrics.recordRefresh("failure", "create-session");
    metrics.setTimestamp(metrics.credentialsExpiry, 1_900_000_000_500);
    metrics.setTimestamp(metrics.certificateExpiry, 1_900_000_100_000);
    metrics.setTimestamp(metrics.lastSuccess, 1_800_000_000_000);
    await metrics.timeUpstream("vault", "pki-sign", async () => "ok");
    await metrics
      .timeUpstream("rolesanywhere", "create-session", async () => {
        throw new Error("x");
      })
      .catch(() => undefined);
    await fetch(`${ops.url}/healthz`);
    const res = await fetch(`${ops.url}/metrics`);
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.contain("text/plain; version=0.0.4");
    const text = await res.text();
    for (const line of [
      'iamra_refresh_total{result="success",stage="complete"} 1',
      'iamra_refresh_total{result="failure",stage="create-session"} 1',
      "iamra_credentials_expiry_timestamp_seconds 1900000000.5",
      "iamra_certificate_expiry_timestamp_seconds 1900000100",
      "iamra_last_success_timestamp_seconds 1800000000",
      'iamra_upstream_duration_seconds_count{upstream="vault",operation="pki-sign"} 1',
      'iamra_upstream_duration_seconds_count{upstream="rolesanywhere",operation="create-session"} 1',
      'iamra_endpoint_requests_total{endpoint="ops",status="200"} 1',
    ]) {
      expect(text).to.contain(line);
    }
  });

  it("answers 404 elsewhere and 405 for other methods", async () => {
    expect((await fetch(`${ops.url}/`)).status).to.equal(404);
    expect((await fetch(`${ops.url}/credentials`)).status).to.equal(404);
    expect((await fetch(`${ops.url}/readyz`, { method: "POST" })).status).to.equal(405);
  });
});
