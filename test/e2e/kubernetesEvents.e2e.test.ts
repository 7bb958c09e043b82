import { expect } from "chai";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { EventsApiStandIn } from "../../devstack/kubernetes/startEventsApiStandIn.js";
import { startValidatedEventsApi } from "../support/eventsApi.js";
import {
  makeScene,
  startRefresher,
  startRefresherHarness,
  type RefresherHarness,
  type Scene,
} from "../support/refresherHarness.js";
import { runCli } from "../support/runCli.js";

const NS = "payments";
const ALLOWED = "pod-token-allowed";
const FORBIDDEN = "pod-token-without-rbac";

async function until<T>(get: () => T | undefined, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("Kubernetes Events from init and the refresher (built CLI, Events API stand-in)", function () {
  this.timeout(60_000);
  let h: RefresherHarness;
  let api: EventsApiStandIn;
  let podCount = 0;

  before(async () => {
    h = await startRefresherHarness();
    api = await startValidatedEventsApi({
      authorize: (bearer, _verb, ns) =>
        bearer === ALLOWED && ns === NS ? "allow" : bearer ? "forbidden" : "unauthorized",
    });
  });
  after(async () => {
    await h?.close();
    await api?.close();
  });

  /** The downward-API and API-server settings a pod gets, with the pod's own token in a file. */
  async function podScene(token: string): Promise<{ s: Scene; pod: string; env: Record<string, string> }> {
    const s = await makeScene(h);
    const pod = `app-5f7b9-${++podCount}`;
    await writeFile(join(s.dir, "api-token"), token);
    await writeFile(join(s.dir, "ca.crt"), api.caCertPem!);
    const env = {
      ...s.env,
      IAMRA_POD_NAME: pod,
      IAMRA_POD_NAMESPACE: NS,
      IAMRA_POD_UID: `uid-${pod}`,
      IAMRA_KUBERNETES_API_URL: api.url,
      IAMRA_KUBERNETES_TOKEN_FILE: join(s.dir, "api-token"),
      IAMRA_KUBERNETES_CA_FILE: join(s.dir, "ca.crt"),
    };
    return { s, pod, env };
  }
  const eventsOf = (pod: string) => api.events().filter((e) => e.regarding.name === pod);

  it("init: a failure leaves a Warning Event on the pod with the error code and hint, then exit 1", async () => {
    const { pod, env } = await podScene(ALLOWED);
    h.stack.rolesAnywhere.injectFault({ count: 1, status: 403, code: "AccessDeniedException", message: "denied" });
    const run = await runCli(["init", "--max-attempts", "1"], { env });
    expect(run.code, run.stderr).to.equal(1);
    const code = /\[([A-Z_]+)\]/.exec(run.stderr)?.[1];
    expect(code, run.stderr).to.be.a("string");
    const events = eventsOf(pod);
    expect(events.map((e) => [e.type, e.reason, e.action, e.reportingInstance])).to.deep.equal([
      ["Warning", "CredentialsFailed", "ObtainCredentials", `init@${pod}`],
    ]);
    expect(events[0]!.note).to.match(new RegExp(`^\\[${code}\\] .+ Hint: `));
    expect(events[0]!.regarding).to.deep.equal({
      apiVersion: "v1",
      kind: "Pod",
      name: pod,
      namespace: NS,
      uid: `uid-${pod}`,
    });
  });

  it("refresher: repeated failures are one Warning with a series count, and recovery is a Normal Event", async () => {
    const { s, pod, env } = await podScene(ALLOWED);
    h.stack.rolesAnywhere.injectFault({ count: 2, status: 500, code: "InternalServerException", message: "boom" });
    const r = await startRefresher(h, { ...s, env }, ["--max-attempts", "1"]);
    await r.refreshed(1, 30_000);
    const recovered = await until(() => eventsOf(pod).find((e) => e.type === "Normal"), "the Normal Event");
    const warnings = eventsOf(pod).filter((e) => e.type === "Warning");
    expect(warnings).to.have.length(1);
    expect(warnings[0]!.note).to.match(/^\[RA_SERVER_ERROR\] /);
    expect(warnings[0]!.series?.count).to.equal(2);
    expect([recovered.reason, recovered.action, recovered.reportingInstance]).to.deep.equal([
      "CredentialsRecovered",
      "RefreshCredentials",
      `refresher@${pod}`,
    ]);
    expect(recovered.note).to.equal("credentials obtained after 2 failed attempts (last: RA_SERVER_ERROR)");
    expect(await r.cli.stop()).to.deep.equal({ code: 0, signal: null });
  });

  it("refresher: without permission for events, credentials are delivered and the refusal is logged once", async () => {
    const { s, pod, env } = await podScene(FORBIDDEN);
    h.stack.rolesAnywhere.injectFault({ count: 2, status: 500, code: "InternalServerException", message: "boom" });
    const r = await startRefresher(h, { ...s, env }, ["--max-attempts", "1"]);
    await r.refreshed(1, 30_000);
    expect((await r.credentials()).status).to.equal(200);
    await until(() => (api.requests.filter((q) => q.status === 403).length >= 3 ? true : undefined), "3 refused calls");
    const refusals = r.cli.lines.filter((l) => String(l.msg).startsWith("kubernetes event not sent"));
    expect(refusals.map((l) => [l.level, l.status])).to.deep.equal([["warn", 403]]);
    expect(eventsOf(pod)).to.deep.equal([]);
    expect(await r.cli.stop()).to.deep.equal({ code: 0, signal: null });
  });

  it("stays off, with one info line, outside a pod (no pod name)", async () => {
    const s = await makeScene(h);
    const r = await startRefresher(h, s);
    await r.refreshed(1);
    const off = r.cli.lines.filter((l) => String(l.msg).startsWith("kubernetes events off"));
    expect(off.map((l) => l.level)).to.deep.equal(["info"]);
    expect(await r.cli.stop()).to.deep.equal({ code: 0, signal: null });
  });
});
