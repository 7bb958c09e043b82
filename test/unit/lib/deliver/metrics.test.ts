import { expect } from "chai";
import perfHooks from "node:perf_hooks";
import { register } from "prom-client";
import { createMetrics, EVENT_LOOP_SAMPLE_MS } from "../../../../lib/deliver/metrics.js";

describe("createMetrics", () => {
  it("uses a registry of its own, so two instances do not clash and the global registry stays empty", async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.recordRefresh("success", "complete");
    expect(await a.registry.metrics()).to.contain('iamra_refresh_total{result="success",stage="complete"} 1');
    expect(await b.registry.metrics()).to.not.contain('iamra_refresh_total{result="success"');
    expect(await a.registry.metrics()).to.contain("process_resident_memory_bytes");
    expect(register.getSingleMetric("iamra_refresh_total")).to.equal(undefined);
  });

  it("times failing upstream calls too and rethrows their error", async () => {
    const metrics = createMetrics({ processMetrics: false });
    const err = await metrics
      .timeUpstream("sts", "assume-role", async () => {
        throw new Error("denied");
      })
      .catch((e: Error) => e);
    expect((err as Error).message).to.equal("denied");
    const h = await metrics.upstreamDuration.get();
    const count = h.values.find(
      (v) => v.metricName === "iamra_upstream_duration_seconds_count" && v.labels.upstream === "sts",
    );
    expect(count?.value).to.equal(1);
    expect(await metrics.registry.metrics()).to.not.contain("process_resident_memory_bytes");
  });

  it("counts endpoint requests by endpoint and status", async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.countRequest("container", 200);
    metrics.countRequest("container", 200);
    metrics.countRequest("imds", 401);
    const text = await metrics.registry.metrics();
    expect(text).to.contain('iamra_endpoint_requests_total{endpoint="container",status="200"} 2');
    expect(text).to.contain('iamra_endpoint_requests_total{endpoint="imds",status="401"} 1');
  });

  it("samples the event-loop delay every 100 ms, not 100 times a second", () => {
    const original = perfHooks.monitorEventLoopDelay;
    const resolutions: Array<number | undefined> = [];
    perfHooks.monitorEventLoopDelay = (options) => {
      resolutions.push(options?.resolution);
      return original(options);
    };
    try {
      createMetrics();
    } finally {
      perfHooks.monitorEventLoopDelay = original;
    }
    expect(EVENT_LOOP_SAMPLE_MS).to.equal(100);
    expect(resolutions).to.deep.equal([100]);
  });
});
