import { expect } from "chai";
import { refreshCycle, type RefreshCycleDeps } from "../../../../lib/refresh/refreshCycle.js";
import { createCredentialStore, type CredentialStore } from "../../../../lib/deliver/credentialStore.js";
import { createMetrics, type Metrics } from "../../../../lib/deliver/metrics.js";
import type { IdentitySource } from "../../../../lib/identity/identitySource.js";
import type { X509Identity } from "../../../../lib/identity/x509Identity.js";
import type { AwsCredentials } from "../../../../lib/credentials/awsCredentials.js";
import { silentLogger } from "../../../../lib/log.js";
import { startDevstackPipeline, type DevstackPipeline } from "../../../support/devstackPipeline.js";
import { expectIamraError } from "../../../support/expectIamraError.js";

describe("refreshCycle against the in-process devstack on a manual clock", function () {
  this.timeout(30_000);
  let p: DevstackPipeline;
  let store: CredentialStore;
  let metrics: Metrics;
  let written: Array<{ creds: AwsCredentials; identity: X509Identity }>;
  before(async () => {
    p = await startDevstackPipeline();
  });
  after(async () => p?.close());
  beforeEach(() => {
    store = createCredentialStore({ clock: p.clock, minValidityMs: 60_000 });
    metrics = createMetrics({ processMetrics: false });
    written = [];
  });

  const cycle = (extra: Partial<RefreshCycleDeps> = {}) =>
    refreshCycle({
      identity: p.throwawayFiles(),
      session: p.throwawaySession(),
      store,
      clock: p.clock,
      log: silentLogger(),
      metrics,
      writeOutputs: async (creds, identity) => void written.push({ creds, identity }),
      ...extra,
    });
  /** iamra_refresh_total as "result stage=count" lines. */
  const refreshes = async () =>
    (await metrics.refreshTotal.get()).values.map((v) => `${v.labels.result} ${v.labels.stage}=${v.value}`).sort();
  const gauge = async (g: Metrics["lastSuccess"]) => (await g.get()).values[0]?.value;

  it("stores the session's credentials, writes them with the identity and counts a complete refresh", async () => {
    const creds = await cycle();
    const issued = p.stack.sessions.lookup(creds.accessKeyId)!;
    expect(issued.roleArn).to.equal(p.stack.info.throwaway.roleArn);
    expect(store.current()).to.deep.equal(creds);
    expect(store.obtainedAtMs()).to.equal(p.clock.now());
    expect(written.map((w) => w.creds)).to.deep.equal([creds]);
    expect(written[0]!.identity.certificate.fingerprint256).to.be.a("string");
    expect(await refreshes()).to.deep.equal(["success complete=1"]);
    expect(await gauge(metrics.credentialsExpiry)).to.equal(creds.expirationMs / 1000);
    expect(await gauge(metrics.lastSuccess)).to.equal(p.clock.now() / 1000);
  });

  it("gets credentials expiring by the shared clock; once they expired, the next refresh starts over", async () => {
    const first = await cycle();
    expect(first.expirationMs).to.equal(Math.floor((p.clock.now() + 900_000) / 1000) * 1000);
    p.clock.advance(901_000);
    expect(store.readiness()).to.include({ ready: false, remainingMs: 0 });
    const second = await cycle();
    expect(second.accessKeyId).to.not.equal(first.accessKeyId);
    expect(second.expirationMs).to.equal(Math.floor((p.clock.now() + 900_000) / 1000) * 1000);
    expect(store.readiness().ready).to.equal(true);
  });

  it("keeps the last good credentials and writes nothing when CreateSession is refused", async () => {
    const good = await cycle();
    written = [];
    const denied = p.throwawaySession({ roleArn: p.stack.info.rolesAnywhere.roleArn });
    const err = await expectIamraError(() => cycle({ session: denied }), "RA_ACCESS_DENIED");
    expect(err.step).to.equal("create-session");
    expect(store.current()).to.deep.equal(good);
    expect(written).to.deep.equal([]);
    expect(await refreshes()).to.deep.equal(["failure create-session=1", "success complete=1"]);
  });

  it("serves the new credentials when writing the files fails, and counts the write failure", async () => {
    const creds = await cycle({
      writeOutputs: async () => {
        throw new Error("disk full");
      },
    });
    expect(store.current()).to.deep.equal(creds);
    expect(await refreshes()).to.deep.equal(["failure write-output=1", "success complete=1"]);
  });

  it("wraps an untyped identity failure as REFRESH_FAILED at the identity step, calling no upstream", async () => {
    const before = p.stack.rolesAnywhere.requests.length;
    const broken: IdentitySource = {
      get: async () => {
        throw new Error("cannot read the key");
      },
      close: async () => undefined,
    };
    const err = await expectIamraError(() => cycle({ identity: broken }), "REFRESH_FAILED");
    expect([err.step, err.message]).to.deep.equal(["identity", "refresh failed at identity: cannot read the key"]);
    expect(p.stack.rolesAnywhere.requests.length).to.equal(before);
    expect(store.current()).to.equal(undefined);
    expect(await refreshes()).to.deep.equal(["failure identity=1"]);
  });

  it("stores and writes nothing after a stop that came while CreateSession was answering", async () => {
    const stop = new AbortController();
    const stopping: Metrics = {
      ...metrics,
      timeUpstream: async (upstream, operation, call) => {
        const out = await call();
        stop.abort(new Error("received SIGTERM"));
        return out;
      },
    };
    const err = await expectIamraError(() => cycle({ metrics: stopping, signal: stop.signal }), "ABORTED");
    expect(err.step).to.equal("store");
    expect(store.current()).to.equal(undefined);
    expect(written).to.deep.equal([]);
    expect(await refreshes()).to.deep.equal(["failure store=1"]);
  });
});
