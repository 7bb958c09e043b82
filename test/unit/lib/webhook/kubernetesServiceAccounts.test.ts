import { expect } from "chai";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { createKubernetesServiceAccountLookup } from "../../../../lib/webhook/kubernetesServiceAccounts.js";
import { manualClock, type ManualClock } from "../../../support/manualClock.js";
import { expectIamraError } from "../../../support/expectIamraError.js";
import { makeServingCa } from "../../../support/tlsFiles.js";

// the API server is a loopback HTTPS stand-in for GET /api/v1/namespaces/<ns>/serviceaccounts/<name>
describe("createKubernetesServiceAccountLookup", () => {
  let server: https.Server;
  let apiUrl: string;
  let caPem: string;
  const seen: Array<{ path: string; authorization?: string }> = [];
  let answer: (path: string) => { status: number; body: string };

  before(async () => {
    const ca = await makeServingCa();
    caPem = ca.caPem;
    const pair = await ca.issue();
    server = https.createServer({ cert: pair.cert, key: pair.key }, (req, res) => {
      seen.push({ path: req.url!, authorization: req.headers.authorization });
      const a = answer(req.url!);
      res.writeHead(a.status, { "Content-Type": "application/json" });
      res.end(a.body);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    apiUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    seen.length = 0;
    answer = (path) =>
      path.endsWith("/serviceaccounts/app")
        ? {
            status: 200,
            body: JSON.stringify({ kind: "ServiceAccount", metadata: { name: "app", annotations: { a: "1" } } }),
          }
        : { status: 404, body: JSON.stringify({ kind: "Status", code: 404 }) };
  });

  function lookup(clock: ManualClock, token = { value: "t1" }) {
    return createKubernetesServiceAccountLookup({
      apiUrl,
      caPem,
      readToken: async () => token.value,
      timeoutMs: 5_000,
      cacheTtlMs: 30_000,
      clock,
    });
  }

  it("reads the annotations with the bearer token and caches them for the TTL", async () => {
    const clock = manualClock(1_000_000);
    const token = { value: "t1\n" };
    const l = lookup(clock, token);
    expect(await l.annotations("pay ments", "app")).to.deep.equal({ a: "1" });
    expect(await l.annotations("pay ments", "app")).to.deep.equal({ a: "1" });
    expect(seen).to.deep.equal([
      { path: "/api/v1/namespaces/pay%20ments/serviceaccounts/app", authorization: "Bearer t1" },
    ]);
    token.value = "t2"; // rotated by the kubelet
    clock.advance(30_001);
    await l.annotations("pay ments", "app");
    expect(seen.map((s) => s.authorization)).to.deep.equal(["Bearer t1", "Bearer t2"]);
  });

  it("answers undefined for a ServiceAccount that does not exist", async () => {
    expect(await lookup(manualClock(0)).annotations("ns", "ghost")).to.equal(undefined);
  });

  it("throws KUBERNETES_API_FAILED on other statuses and does not cache the failure", async () => {
    const l = lookup(manualClock(0));
    answer = () => ({ status: 403, body: "{}" });
    const err = await expectIamraError(() => l.annotations("ns", "app"), "KUBERNETES_API_FAILED");
    expect(err.message).to.include("HTTP 403");
    expect(err.hint).to.include("get on serviceaccounts");
    expect(err.retryable).to.equal(true);
    answer = () => ({ status: 200, body: JSON.stringify({ metadata: {} }) });
    expect(await l.annotations("ns", "app")).to.deep.equal({});
    expect(seen).to.have.length(2);
  });

  it("refuses an API server whose certificate is not signed by the given CA", async () => {
    const other = await makeServingCa();
    const l = createKubernetesServiceAccountLookup({
      apiUrl,
      caPem: other.caPem,
      readToken: async () => "t",
      timeoutMs: 5_000,
      cacheTtlMs: 0,
      clock: manualClock(0),
    });
    const err = await expectIamraError(() => l.annotations("ns", "app"), "KUBERNETES_API_FAILED");
    // both test CAs share a subject name, so OpenSSL finds the wrong issuer and reports a bad signature
    expect(err.message).to.match(/failed \((CERT_SIGNATURE_FAILURE|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\)/);
    expect(seen, "no request reached the handler").to.deep.equal([]);
  });
});
