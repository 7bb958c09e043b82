import { expect } from "chai";
import { startValidatedEventsApi } from "../../support/eventsApi.js";
import type { EventsApiStandIn } from "../../../devstack/kubernetes/startEventsApiStandIn.js";
import { requestKubernetesApi } from "../../../lib/kubernetes/requestKubernetesApi.js";

const NS = "payments";
const PATH = `/apis/events.k8s.io/v1/namespaces/${NS}/events`;

function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: "events.k8s.io/v1",
    kind: "Event",
    metadata: { name: "app-1.abc", namespace: NS },
    eventTime: "2025-01-01T00:00:00.000000Z",
    reportingController: "iamra-vault",
    reportingInstance: "refresher@app-1",
    action: "RefreshCredentials",
    reason: "CredentialsFailed",
    type: "Warning",
    note: "[CODE] failed",
    regarding: { apiVersion: "v1", kind: "Pod", name: "app-1", namespace: NS },
    ...overrides,
  };
}

describe("startEventsApiStandIn", () => {
  let api: EventsApiStandIn;
  let allowed = true;
  before(async () => {
    api = await startValidatedEventsApi({
      authorize: (bearer, _verb, ns) => (!bearer ? "unauthorized" : allowed && ns === NS ? "allow" : "forbidden"),
    });
  });
  after(() => api.close());
  beforeEach(() => {
    allowed = true;
    api.requests.length = 0;
  });

  const call = (method: "POST" | "PATCH", path: string, body: unknown, contentType?: string, token = "t") =>
    requestKubernetesApi({
      apiUrl: api.url,
      caPem: api.caCertPem,
      method,
      path,
      body,
      contentType,
      token,
      timeoutMs: 5000,
    });

  it("serves HTTPS that only its CA verifies", async () => {
    expect(api.url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
    const err = await requestKubernetesApi({
      apiUrl: api.url,
      method: "POST",
      path: PATH,
      body: event(),
      token: "t",
      timeoutMs: 5000,
    }).then(
      () => undefined,
      (e: NodeJS.ErrnoException) => e,
    );
    expect(err?.code).to.match(/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/);
  });

  it("creates a valid Event (201) and refuses a second one with the same name (409)", async () => {
    const e = event({ metadata: { name: "app-1.create", namespace: NS } });
    const first = await call("POST", PATH, e);
    expect(first.status, first.body).to.equal(201);
    expect(JSON.parse(first.body).metadata).to.include.keys("uid", "resourceVersion", "creationTimestamp");
    expect((await call("POST", PATH, e)).status).to.equal(409);
  });

  const invalid: Array<[string, Record<string, unknown>, RegExp]> = [
    ["an eventTime that is not a date-time (schema)", { eventTime: "yesterday" }, /eventTime/],
    ["a missing reportingController", { reportingController: undefined }, /reportingController/],
    ["a type other than Normal or Warning", { type: "Error" }, /type: Unsupported/],
    ["a note over 1024 bytes", { note: "é".repeat(513) }, /note: Too long/],
    ["a series with count 1", { series: { count: 1, lastObservedTime: "2025-01-01T00:00:00.000000Z" } }, /series/],
    [
      "a regarding object in another namespace",
      { regarding: { kind: "Pod", name: "x", namespace: "other" } },
      /regarding/,
    ],
    ["an upper-case name", { metadata: { name: "App-1.x", namespace: NS } }, /metadata.name/],
  ];
  for (const [what, change, message] of invalid) {
    it(`answers 422 Invalid for ${what}`, async () => {
      const res = await call("POST", PATH, JSON.parse(JSON.stringify(event(change))));
      expect(res.status, res.body).to.equal(422);
      expect(JSON.parse(res.body).message).to.match(message);
    });
  }

  it("merge-patches the series and refuses changes to any other field", async () => {
    const name = "app-1.patch";
    expect((await call("POST", PATH, event({ metadata: { name, namespace: NS } }))).status).to.equal(201);
    const series = { count: 2, lastObservedTime: "2025-01-01T00:01:00.000000Z" };
    const ok = await call("PATCH", `${PATH}/${name}`, { series }, "application/merge-patch+json");
    expect(ok.status, ok.body).to.equal(200);
    expect(api.events().find((e) => e.metadata.name === name)?.series).to.deep.equal(series);
    const changed = await call("PATCH", `${PATH}/${name}`, { note: "other" }, "application/merge-patch+json");
    expect(changed.status).to.equal(422);
    expect(JSON.parse(changed.body).message).to.include("note: Invalid value: field is immutable");
    expect((await call("PATCH", `${PATH}/${name}`, { series }, "application/json")).status).to.equal(415);
    expect((await call("PATCH", `${PATH}/missing`, { series }, "application/merge-patch+json")).status).to.equal(404);
  });

  it("answers 401 without a token and 403 where the caller may not create events", async () => {
    expect((await call("POST", PATH, event(), undefined, "")).status).to.equal(401);
    allowed = false;
    const res = await call("POST", PATH, event({ metadata: { name: "app-1.forbidden", namespace: NS } }));
    expect(res.status).to.equal(403);
    expect(JSON.parse(res.body).reason).to.equal("Forbidden");
    expect(api.events().some((e) => e.metadata.name === "app-1.forbidden")).to.equal(false);
  });
});
