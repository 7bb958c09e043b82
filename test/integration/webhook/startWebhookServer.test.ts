import { expect } from "chai";
import https from "node:https";
import type { TLSSocket } from "node:tls";
import { mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startWebhookServer, type WebhookServer } from "../../../webhook/startWebhookServer.js";
import { reviewAdmission } from "../../../lib/webhook/reviewAdmission.js";
import { createWebhookMetrics, type WebhookMetrics } from "../../../lib/webhook/webhookMetrics.js";
import { testInjectionDefaults } from "../../support/injectionDefaults.js";
import { silentLogger } from "../../../lib/log.js";
import { makeServingCa, type ServingPair } from "../../support/tlsFiles.js";

const defaults = testInjectionDefaults([{ name: "VAULT_ADDR", value: "https://vault.example.com:8200" }]);

interface Answer {
  status: number;
  body: string;
  serial: string;
}

/** One request on a new TLS connection (no agent), trusting only `ca`; returns the served certificate's serial. */
function request(url: string, ca: string, method: string, path: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${url}${path}`,
      { method, ca, agent: false, headers: body ? { "Content-Type": "application/json" } : {} },
      (res) => {
        const serial = (res.socket as TLSSocket).getPeerCertificate().serialNumber.toUpperCase();
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString("utf8"), serial }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Replaces a file atomically (write aside, rename), as a Secret volume update or cert-manager does. */
async function replace(path: string, text: string): Promise<void> {
  await writeFile(`${path}.new`, text);
  await rename(`${path}.new`, path);
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("startWebhookServer (real HTTPS)", function () {
  this.timeout(60_000);
  let dir: string;
  let server: WebhookServer;
  let metrics: WebhookMetrics;
  let ca: string;
  let issue: () => Promise<ServingPair>;
  let first: ServingPair;
  const certFile = () => join(dir, "tls.crt");
  const keyFile = () => join(dir, "tls.key");

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-webhook-"));
    ({ caPem: ca, issue } = await makeServingCa());
    first = await issue();
    await writeFile(certFile(), first.cert);
    await writeFile(keyFile(), first.key);
    metrics = createWebhookMetrics({ processMetrics: false });
    server = await startWebhookServer({
      host: "127.0.0.1",
      port: 0,
      certFile: certFile(),
      keyFile: keyFile(),
      review: (body) => reviewAdmission(body, { defaults }),
      metrics,
      log: silentLogger(),
      reloadPollMs: 200,
      reloadDebounceMs: 200,
    });
  });

  after(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("answers an AdmissionReview with a JSON patch", async () => {
    const review = await readFile(new URL("../../fixtures/webhook/pod-annotated.json", import.meta.url), "utf8");
    const answer = await request(server.url, ca, "POST", "/mutate", review);
    expect(answer.status).to.equal(200);
    expect(answer.serial).to.equal(first.serial);
    const out = JSON.parse(answer.body);
    expect(out).to.deep.include({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview" });
    expect(out.response).to.include({ uid: JSON.parse(review).request.uid, allowed: true, patchType: "JSONPatch" });
    const ops = JSON.parse(Buffer.from(out.response.patch, "base64").toString("utf8")) as Array<{ path: string }>;
    expect(ops.map((op) => op.path)).to.include("/spec/initContainers");
  });

  it("answers a denial for bad annotations and 400 for a body that is not an AdmissionReview", async () => {
    const bad = await readFile(new URL("../../fixtures/webhook/pod-bad-annotations.json", import.meta.url), "utf8");
    const denied = JSON.parse((await request(server.url, ca, "POST", "/mutate", bad)).body);
    expect(denied.response.allowed).to.equal(false);
    expect(denied.response.status.message).to.include("is not an IAM role ARN");
    for (const body of ["not json", JSON.stringify({ kind: "Pod" })]) {
      const answer = await request(server.url, ca, "POST", "/mutate", body);
      expect(answer.status).to.equal(400);
      expect(JSON.parse(answer.body).code).to.equal("WEBHOOK_REVIEW_INVALID");
    }
    expect((await request(server.url, ca, "GET", "/mutate")).status).to.equal(405);
  });

  it("serves /healthz, /readyz and /metrics", async () => {
    expect(JSON.parse((await request(server.url, ca, "GET", "/healthz")).body)).to.deep.equal({ status: "ok" });
    expect((await request(server.url, ca, "GET", "/readyz")).status).to.equal(200);
    const text = (await request(server.url, ca, "GET", "/metrics")).body;
    expect(text).to.match(/^iamra_webhook_admissions_total\{outcome="injected"\} 1$/m);
    expect(text).to.match(/^iamra_webhook_admissions_total\{outcome="denied"\} 1$/m);
    expect(text).to.match(/^iamra_webhook_admissions_total\{outcome="error"\} 2$/m);
    expect(text).to.match(/^iamra_webhook_certificate_expiry_timestamp_seconds 2208988800$/m); // 2040-01-01
    expect((await request(server.url, ca, "GET", "/nope")).status).to.equal(404);
  });

  it("keeps serving the old certificate while the new files do not match", async () => {
    const other = await issue();
    await replace(certFile(), other.cert); // the key still belongs to the first certificate
    await waitFor("a failed reload", async () => {
      const text = await metrics.registry.metrics();
      return /iamra_webhook_tls_reloads_total\{result="failure"\} [1-9]/.test(text) ? true : undefined;
    });
    expect((await request(server.url, ca, "GET", "/healthz")).serial).to.equal(first.serial);
  });

  it("serves the new certificate to new connections once the files are replaced", async () => {
    const next = await issue();
    expect(next.serial).to.not.equal(first.serial);
    await replace(keyFile(), next.key);
    await replace(certFile(), next.cert);
    const served = await waitFor("the new certificate", async () => {
      const answer = await request(server.url, ca, "GET", "/healthz");
      return answer.serial === next.serial ? answer : undefined;
    });
    expect(served.status).to.equal(200);
    expect(await metrics.registry.metrics()).to.match(/iamra_webhook_tls_reloads_total\{result="success"\} 1$/m);
  });
});
