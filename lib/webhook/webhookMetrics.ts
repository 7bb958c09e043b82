/** Prometheus metrics of the admission webhook (prom-client, on a registry of its own). */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { AdmissionOutcome } from "./reviewAdmission.js";

/** Typed handles on the webhook's metrics and the registry they live in. */
export interface WebhookMetrics {
  registry: Registry;
  /** iamra_webhook_admissions_total{outcome}: injected, skipped, denied, or error (the request got no review). */
  admissions: Counter<"outcome">;
  /** iamra_webhook_admission_duration_seconds: time to answer one AdmissionReview. */
  duration: Histogram;
  /** iamra_webhook_tls_reloads_total{result}: serving certificate reloads after the files changed. */
  tlsReloads: Counter<"result">;
  /** iamra_webhook_certificate_expiry_timestamp_seconds: notAfter of the serving certificate. */
  certificateExpiry: Gauge;
  /** Counts one answered admission. */
  countAdmission(outcome: AdmissionOutcome | "error"): void;
}

/** Creates the webhook's metrics on a fresh Registry (process metrics included unless switched off). */
export function createWebhookMetrics(opts: { processMetrics?: boolean } = {}): WebhookMetrics {
  const registry = new Registry();
  if (opts.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const admissions = new Counter({
    name: "iamra_webhook_admissions_total",
    help: "AdmissionReviews answered, by outcome (injected, skipped, denied, error).",
    labelNames: ["outcome"] as const,
    registers,
  });
  const duration = new Histogram({
    name: "iamra_webhook_admission_duration_seconds",
    help: "Time to answer one AdmissionReview, ServiceAccount lookup included.",
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const tlsReloads = new Counter({
    name: "iamra_webhook_tls_reloads_total",
    help: "Serving certificate reloads after the certificate or key file changed, by result.",
    labelNames: ["result"] as const,
    registers,
  });
  const certificateExpiry = new Gauge({
    name: "iamra_webhook_certificate_expiry_timestamp_seconds",
    help: "notAfter of the serving certificate, as a Unix timestamp.",
    registers,
  });
  return {
    registry,
    admissions,
    duration,
    tlsReloads,
    certificateExpiry,
    countAdmission: (outcome) => admissions.inc({ outcome }),
  };
}
