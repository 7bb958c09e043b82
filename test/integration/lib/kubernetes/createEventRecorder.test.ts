import { expect } from "chai";
import { createEventRecorder, type CredentialEvents } from "../../../../lib/kubernetes/createEventRecorder.js";
import { requestKubernetesApi } from "../../../../lib/kubernetes/requestKubernetesApi.js";
import { IamraError } from "../../../../lib/errors.js";
import { ERROR_CODES, type ErrorCode } from "../../../../lib/errorCodes.js";
import type { EventsApiStandIn, EventsAuthorization } from "../../../../devstack/kubernetes/startEventsApiStandIn.js";
import { startValidatedEventsApi } from "../../../support/eventsApi.js";
import { manualClock, type ManualClock } from "../../../support/manualClock.js";
import { captureLogs } from "../../../support/captureLogs.js";

const POD = { name: "app-7d9f-x2k4q", namespace: "payments", uid: "6f1c1a52-2d1e-4c7a-9f55-0c3f4b1e2a10" };
let podCount = 0;

/** Polls `cond` every 10 ms for up to `ms` (real time): the recorder works in the background. */
async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

const denied = (code: ErrorCode) =>
  new IamraError({
    code,
    message: `Vault login failed for role "app" (${code})`,
    hint: "bind the role",
    step: "vault-login",
  });

describe("createEventRecorder (with the Events API stand-in)", () => {
  let api: EventsApiStandIn;
  let decide: EventsAuthorization = "allow";
  let clock: ManualClock;
  let logs: ReturnType<typeof captureLogs>;
  let pod = POD;
  const recorders: CredentialEvents[] = [];

  before(async () => {
    api = await startValidatedEventsApi({ authorize: (bearer) => (bearer === "pod-token" ? decide : "unauthorized") });
  });
  after(async () => {
    api.hang = false;
    for (const r of recorders) r.close();
    await api.close();
  });
  beforeEach(() => {
    decide = "allow";
    api.hang = false;
    api.requests.length = 0;
    clock = manualClock(Date.parse("2025-03-01T10:00:00Z"));
    logs = captureLogs();
    pod = { ...POD, name: `${POD.name}-${++podCount}` }; // the stand-in keeps every test's events
  });

  function recorder(o: { burst?: number; queueLimit?: number; timeoutMs?: number } = {}) {
    const r = createEventRecorder({
      pod,
      instance: `refresher@${pod.name}`,
      action: "RefreshCredentials",
      clock,
      log: logs.log,
      burst: o.burst,
      queueLimit: o.queueLimit,
      api: (req) =>
        requestKubernetesApi({
          ...req,
          apiUrl: api.url,
          caPem: api.caCertPem,
          token: "pod-token",
          timeoutMs: o.timeoutMs ?? 5_000,
        }),
    });
    recorders.push(r);
    return r;
  }
  const ours = () => api.events().filter((e) => e.regarding.name === pod.name);

  it("writes a Warning about the pod with the reason, error code and hint", async () => {
    const r = recorder();
    r.failed(denied("VAULT_LOGIN_DENIED"));
    await r.flush(5_000);
    expect(ours()).to.have.length(1);
    const e = ours()[0]!;
    expect(e).to.deep.include({
      type: "Warning",
      reason: "CredentialsFailed",
      action: "RefreshCredentials",
      reportingController: "iamra-vault",
      reportingInstance: `refresher@${pod.name}`,
      eventTime: "2025-03-01T10:00:00.000000Z",
      note: '[VAULT_LOGIN_DENIED] Vault login failed for role "app" (VAULT_LOGIN_DENIED) Hint: bind the role',
    });
    expect(e.regarding).to.deep.equal({ apiVersion: "v1", kind: "Pod", ...pod });
    expect(e.metadata.name.startsWith(`${pod.name}.`)).to.equal(true);
    expect(api.requests.map((q) => [q.method, q.status])).to.deep.equal([["POST", 201]]);
  });

  it("counts repeats of one error code in the series of one Event, through merge patches", async () => {
    const r = recorder();
    r.failed(denied("VAULT_LOGIN_DENIED"));
    await r.flush(5_000);
    clock.advance(30_000);
    r.failed(denied("VAULT_LOGIN_DENIED"));
    await r.flush(5_000);
    clock.advance(30_000);
    r.failed(denied("VAULT_LOGIN_DENIED"));
    await r.flush(5_000);
    expect(ours()).to.have.length(1);
    expect(ours()[0]!.series).to.deep.equal({ count: 3, lastObservedTime: "2025-03-01T10:01:00.000000Z" });
    expect(api.requests.map((q) => [q.method, q.contentType, q.status])).to.deep.equal([
      ["POST", "application/json", 201],
      ["PATCH", "application/merge-patch+json", 200],
      ["PATCH", "application/merge-patch+json", 200],
    ]);
  });

  it("rate-limits calls to the burst, then one per minute, and the series still ends with the full count", async () => {
    const r = recorder({ burst: 2 });
    r.failed(denied("VAULT_SEALED"));
    r.failed(denied("VAULT_TIMEOUT"));
    await until(() => api.requests.length === 2);
    for (let i = 0; i < 10; i++) r.failed(denied("VAULT_SEALED"));
    await new Promise((res) => setTimeout(res, 200)); // nothing more is sent while the bucket is empty
    expect(api.requests).to.have.length(2);
    clock.advance(60_000);
    await r.flush(5_000);
    expect(api.requests.map((q) => q.method)).to.deep.equal(["POST", "POST", "PATCH"]);
    expect(ours().find((e) => e.note.startsWith("[VAULT_SEALED]"))?.series?.count).to.equal(11);
  });

  it("writes a Normal Event on recovery, and a new Warning for the next failure", async () => {
    const r = recorder();
    r.succeeded(); // no failure before: nothing to say
    r.failed(denied("RA_ACCESS_DENIED"));
    r.failed(denied("RA_ACCESS_DENIED"));
    r.succeeded();
    r.succeeded();
    r.failed(denied("RA_ACCESS_DENIED"));
    await r.flush(5_000);
    expect(ours().map((e) => [e.type, e.reason, e.series?.count])).to.deep.equal([
      ["Warning", "CredentialsFailed", 2],
      ["Normal", "CredentialsRecovered", undefined],
      ["Warning", "CredentialsFailed", undefined],
    ]);
    expect(ours()[1]!.note).to.equal("credentials obtained after 2 failed attempts (last: RA_ACCESS_DENIED)");
  });

  it("logs a missing permission once and carries on; never throws to the caller", async () => {
    decide = "forbidden";
    const r = recorder();
    for (const code of ["VAULT_SEALED", "VAULT_TIMEOUT", "VAULT_UNREACHABLE"] as const)
      expect(() => r.failed(denied(code))).to.not.throw();
    await r.flush(5_000);
    expect(api.requests.map((q) => q.status)).to.deep.equal([403, 403, 403]);
    const warnings = logs.lines.map((l) => JSON.parse(l)).filter((l) => l.level === "warn");
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.include({
      status: 403,
      msg: "kubernetes event not sent; credentials are unaffected (logged once)",
    });
    expect(warnings[0].hint).to.include("create and patch on events");
    decide = "allow"; // the permission is granted later: events flow again
    r.failed(denied("VAULT_DENIED"));
    await r.flush(5_000);
    expect(ours().map((e) => e.note.split("]")[0])).to.deep.equal(["[VAULT_DENIED"]);
  });

  it("keeps at most queueLimit Events while the API server hangs, and flush returns within its bound", async function () {
    this.timeout(60_000);
    api.hang = true;
    const r = recorder({ queueLimit: 3, timeoutMs: 12_000 });
    const codes = Object.keys(ERROR_CODES).slice(0, 10) as ErrorCode[];
    for (const code of codes) r.failed(denied(code));
    const started = Date.now();
    await r.flush(100);
    // a flush that waited for the hung call would take its 12 s timeout, the whole queue 48 s
    expect(Date.now() - started).to.be.below(2_000);
    api.hang = false;
    await r.flush(40_000);
    // three fit in the queue, the other seven were dropped; the first call timed out on the hung server
    expect(api.requests.map((q) => q.status)).to.deep.equal([0, 201, 201]);
    expect(ours().map((e) => e.note.split("]")[0])).to.deep.equal([`[${codes[1]}`, `[${codes[2]}`]);
    expect(logs.text()).to.include("no answer within 12000 ms");
  });
});
