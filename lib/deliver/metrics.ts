/** Prometheus metrics of the refresher (prom-client, on a registry of its own: no global state). */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** Upstreams whose calls are timed. */
export type Upstream = "vault" | "rolesanywhere" | "sts";
/** Outcome of one refresh attempt. */
export type RefreshResult = "success" | "failure";
/** Endpoints whose requests are counted. */
export type EndpointName = "container" | "imds" | "ops";

/** Typed handles on every metric plus the registry they live in. */
export interface Metrics {
  registry: Registry;
  /** iamra_refresh_total{result,stage}: refresh attempts; stage is the pipeline step that failed, or "complete". */
  refreshTotal: Counter<"result" | "stage">;
  /** iamra_credentials_expiry_timestamp_seconds: expiry of the credentials being served (epoch s). */
  credentialsExpiry: Gauge;
  /** iamra_certificate_expiry_timestamp_seconds: notAfter of the current certificate (epoch s). */
  certificateExpiry: Gauge;
  /** iamra_last_success_timestamp_seconds: when a refresh last succeeded (epoch s). */
  lastSuccess: Gauge;
  /** iamra_upstream_duration_seconds{upstream,operation}: duration of upstream calls, failures included. */
  upstreamDuration: Histogram<"upstream" | "operation">;
  /** iamra_endpoint_requests_total{endpoint,status}: requests answered by the credentials/IMDS/ops endpoints. */
  endpointRequests: Counter<"endpoint" | "status">;
  /** Counts one refresh attempt. */
  recordRefresh(result: RefreshResult, stage: string): void;
  /** Sets a timestamp gauge from epoch milliseconds. */
  setTimestamp(gauge: Gauge, epochMs: number): void;
  /** Times `fn` into upstreamDuration (whether it resolves or rejects) and returns its result. */
  timeUpstream<T>(upstream: Upstream, operation: string, fn: () => Promise<T>): Promise<T>;
  /** Counts one answered request. */
  countRequest(endpoint: EndpointName, status: number): void;
}

/** Options of createMetrics. */
export interface MetricsOptions {
  /** Also collect prom-client's process metrics (RSS, CPU, event loop lag) into the registry (default true). */
  processMetrics?: boolean;
}

/**
 * How often the event-loop delay is sampled, ms. prom-client's default (10 ms) wakes the process 100 times a second:
 * about 5 ms of CPU per second on an otherwise idle refresher, half of its CPU request. At 100 ms a stall of 100 ms or
 * more is always seen, shorter ones in proportion to their length, for about 0.7 ms of CPU per second.
 */
export const EVENT_LOOP_SAMPLE_MS = 100;

/** Bucket bounds of the upstream duration histogram, seconds (loopback ms … slow Vault/AWS calls). */
export const UPSTREAM_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Creates the refresher's metrics on a fresh Registry. */
export function createMetrics(opts: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (opts.processMetrics ?? true) {
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  }
  const registers = [registry];
  const refreshTotal = new Counter({
    name: "iamra_refresh_total",
    help: "Refresh attempts by result and by the stage that failed (complete on success).",
    labelNames: ["result", "stage"] as const,
    registers,
  });
  const credentialsExpiry = new Gauge({
    name: "iamra_credentials_expiry_timestamp_seconds",
    help: "Expiry of the AWS credentials being served, as a Unix timestamp.",
    registers,
  });
  const certificateExpiry = new Gauge({
    name: "iamra_certificate_expiry_timestamp_seconds",
    help: "notAfter of the current X.509 certificate, as a Unix timestamp.",
    registers,
  });
  const lastSuccess = new Gauge({
    name: "iamra_last_success_timestamp_seconds",
    help: "When a refresh last succeeded, as a Unix timestamp.",
    registers,
  });
  const upstreamDuration = new Histogram({
    name: "iamra_upstream_duration_seconds",
    help: "Duration of calls to Vault, IAM Roles Anywhere and STS, failures included.",
    labelNames: ["upstream", "operation"] as const,
    buckets: UPSTREAM_BUCKETS,
    registers,
  });
  const endpointRequests = new Counter({
    name: "iamra_endpoint_requests_total",
    help: "Requests answered by the container credentials, IMDS and ops endpoints, by HTTP status.",
    labelNames: ["endpoint", "status"] as const,
    registers,
  });
  return {
    registry,
    refreshTotal,
    credentialsExpiry,
    certificateExpiry,
    lastSuccess,
    upstreamDuration,
    endpointRequests,
    recordRefresh: (result, stage) => refreshTotal.inc({ result, stage }),
    setTimestamp: (gauge, epochMs) => gauge.set(epochMs / 1000),
    async timeUpstream(upstream, operation, fn) {
      const end = upstreamDuration.startTimer({ upstream, operation });
      try {
        return await fn();
      } finally {
        end();
      }
    },
    countRequest: (endpoint, status) => endpointRequests.inc({ endpoint, status: String(status) }),
  };
}
