import { expect } from "chai";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startCli, type RunningCli } from "../support/startCli.js";
import { runCli } from "../support/runCli.js";
import { makeServingCa } from "../support/tlsFiles.js";

type Obj = Record<string, any>;

function post(url: string, ca: string, body: string): Promise<Obj> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: "POST", ca, headers: { "Content-Type": "application/json" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as Obj));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("iamra-vault webhook (built CLI)", function () {
  this.timeout(90_000);
  let dir: string;
  let cli: RunningCli | undefined;
  let api: https.Server;
  const apiRequests: Array<{ path?: string; authorization?: string }> = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-webhook-e2e-"));
  });
  after(async () => {
    cli?.kill();
    await new Promise<void>((r) => (api ? api.close(() => r()) : r()));
    await rm(dir, { recursive: true, force: true });
  });

  it("exits 2 and names every missing setting", async () => {
    const run = await runCli(["webhook", "--no-service-account-annotations"], { env: {} });
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include("--tls-cert-file").and.include("--tls-key-file").and.include("--sidecar-image");
  });

  it("exits 2 when the settings name VAULT_CACERT and no ConfigMap brings it into the pods", async () => {
    const args = ["webhook", "--no-service-account-annotations", "--sidecar-image=iamra-vault:1"];
    const env = {
      IAMRA_WEBHOOK_TLS_CERT_FILE: join(dir, "none.crt"),
      IAMRA_WEBHOOK_TLS_KEY_FILE: join(dir, "none.key"),
      VAULT_CACERT: "/etc/vault/ca.pem",
    };
    const run = await runCli(args, { env });
    expect(run.code, run.stderr).to.equal(2);
    expect(run.stderr).to.include("VAULT_CACERT").and.include("--vault-ca-configmap");
  });

  it("injects a pod opted in by its ServiceAccount, passing its settings on; stops on SIGTERM", async () => {
    const ca = await makeServingCa();
    const serving = await ca.issue();
    await writeFile(join(dir, "tls.crt"), serving.cert);
    await writeFile(join(dir, "tls.key"), serving.key);
    await writeFile(join(dir, "api-ca.crt"), ca.caPem);
    await writeFile(join(dir, "api-token"), "webhook-token\n");
    // the Kubernetes API, as far as the webhook uses it: GET one ServiceAccount
    const apiPair = await ca.issue();
    api = https.createServer({ cert: apiPair.cert, key: apiPair.key }, (req, res) => {
      apiRequests.push({ path: req.url, authorization: req.headers.authorization });
      const annotations = {
        "iamra-vault/inject": "true",
        "iamra-vault/role-arn": "arn:aws:iam::111122223333:role/web",
      };
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ kind: "ServiceAccount", metadata: { name: "default", namespace: "web", annotations } }));
    });
    await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));

    cli = startCli(
      ["webhook", "--host=127.0.0.1", "--port=0", "--sidecar-image=registry.example.com/iamra-vault:0.1.0"],
      {
        env: {
          IAMRA_WEBHOOK_TLS_CERT_FILE: join(dir, "tls.crt"),
          IAMRA_WEBHOOK_TLS_KEY_FILE: join(dir, "tls.key"),
          IAMRA_WEBHOOK_KUBERNETES_API_URL: `https://127.0.0.1:${(api.address() as AddressInfo).port}`,
          IAMRA_WEBHOOK_KUBERNETES_TOKEN_FILE: join(dir, "api-token"),
          IAMRA_WEBHOOK_KUBERNETES_CA_FILE: join(dir, "api-ca.crt"),
          VAULT_ADDR: "https://vault.example.com:8200",
          IAMRA_TRUST_ANCHOR_ARN: "arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/a",
          AWS_REGION: "eu-west-1",
          UNRELATED: "not passed on",
        },
      },
    );
    const started = await cli.waitFor((l) => l.msg === "webhook started", { timeoutMs: 60_000 });
    expect(started.refresherSettings).to.deep.equal(["VAULT_ADDR", "IAMRA_TRUST_ANCHOR_ARN", "AWS_REGION"]);

    const review = JSON.parse(
      await readFile(new URL("../fixtures/webhook/pod-not-opted-in.json", import.meta.url), "utf8"),
    );
    delete review.request.object.metadata.annotations; // the ServiceAccount alone opts this pod in
    const answer = await post(`${String(started.url)}/mutate`, ca.caPem, JSON.stringify(review));
    expect(answer.response).to.include({ allowed: true, patchType: "JSONPatch" });
    expect(apiRequests).to.deep.equal([
      { path: "/api/v1/namespaces/web/serviceaccounts/default", authorization: "Bearer webhook-token" },
    ]);
    const ops = JSON.parse(Buffer.from(answer.response.patch, "base64").toString("utf8")) as Obj[];
    const sidecar = ops.find((op) => op.path === "/spec/initContainers")!.value[0] as Obj;
    expect(sidecar.image).to.equal("registry.example.com/iamra-vault:0.1.0");
    const podFields = (sidecar.env as Obj[])
      .filter((e) => e.valueFrom)
      .map((e) => [e.name, e.valueFrom.fieldRef.fieldPath]);
    expect(podFields, "the pod's identity for Kubernetes Events").to.deep.equal([
      ["IAMRA_POD_NAME", "metadata.name"],
      ["IAMRA_POD_NAMESPACE", "metadata.namespace"],
      ["IAMRA_POD_UID", "metadata.uid"],
    ]);
    expect((sidecar.env as Obj[]).filter((e) => !e.valueFrom)).to.deep.equal([
      { name: "VAULT_ADDR", value: "https://vault.example.com:8200" },
      { name: "IAMRA_TRUST_ANCHOR_ARN", value: "arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/a" },
      { name: "AWS_REGION", value: "eu-west-1" },
      { name: "IAMRA_ROLE_ARN", value: "arn:aws:iam::111122223333:role/web" },
      { name: "NODE_OPTIONS", value: "--max-semi-space-size=1 --jitless" }, // the refresher's V8 flags
    ]);
    await cli.waitFor((l) => l.msg === "admission" && l.outcome === "injected", { timeoutMs: 10_000 });

    const exit = await cli.stop();
    expect(exit).to.deep.equal({ code: 0, signal: null });
    expect(cli.lines.some((l) => l.msg === "webhook stopped")).to.equal(true);
  });
});
