import { expect } from "chai";
import { createSessionStore } from "../../../devstack/aws/sessionStore.js";
import {
  startRolesAnywhereStandIn,
  type RolesAnywhereStandIn,
} from "../../../devstack/rolesanywhere/startRolesAnywhereStandIn.js";
import { systemClock } from "../../../lib/time/clock.js";
import { makeCertificate } from "../../../devstack/certificates/makeCertificate.js";
import {
  buildCreateSession,
  makeIdentity,
  sendRaw,
  type SessionArns,
  type TestIdentity,
} from "./rolesAnywhereTestKit.js";

describe("startRolesAnywhereStandIn: quota, faults, delays, short sessions", function () {
  this.timeout(30_000);
  let identity: TestIdentity;
  let rootPem: string;
  const open: RolesAnywhereStandIn[] = [];

  before(async () => {
    const root = await makeCertificate({ subject: "CN=Quota Root", ca: true });
    rootPem = root.pem;
    identity = await makeIdentity("ec-p256", root, []);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  async function start(
    o: { tps?: number; minDurationSeconds?: number; quotaNowMs?: () => number } = {},
  ): Promise<{ ra: RolesAnywhereStandIn; arns: SessionArns }> {
    const ra = await startRolesAnywhereStandIn({ sessions: createSessionStore({ clock: systemClock }), ...o });
    open.push(ra);
    const trustAnchorArn = ra.addTrustAnchor({ name: "a", caCertificatesPem: rootPem }).arn;
    const roleArn = ra.addRole({ name: "R" }).arn;
    const profileArn = ra.addProfile({ name: "p", roleArns: [roleArn] }).arn;
    return { ra, arns: { trustAnchorArn, profileArn, roleArn } };
  }
  const send = (ra: RolesAnywhereStandIn, arns: SessionArns, body?: object) =>
    sendRaw(ra.url, buildCreateSession(identity, { url: ra.url, arns, nowMs: Date.now(), body }));

  it("answers 429 ThrottlingException once the TPS quota's burst is spent, and recovers after a second", async () => {
    let nowMs = 0;
    const { ra, arns } = await start({ tps: 3, quotaNowMs: () => nowMs });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await send(ra, arns)).status);
    expect(statuses).to.deep.equal([201, 201, 201, 429, 429]);
    const throttled = ra.requests.at(-1)!;
    expect(throttled.errorCode).to.equal("ThrottlingException");
    nowMs += 300;
    expect((await send(ra, arns)).status, "less than one token refilled").to.equal(429);
    nowMs += 1000;
    expect((await send(ra, arns)).status).to.equal(201);
  });

  it("throttles at the default 10 TPS", async () => {
    const { ra, arns } = await start({ quotaNowMs: () => 0 });
    const results = await Promise.all(Array.from({ length: 14 }, () => send(ra, arns)));
    const throttled = results.filter((r) => r.status === 429);
    expect(results.filter((r) => r.status === 201).length).to.equal(10);
    expect(throttled.length).to.equal(4);
    expect(throttled[0]!.headers["x-amzn-errortype"]).to.equal("ThrottlingException");
    expect(throttled[0]!.json).to.deep.equal({ message: "Rate exceeded" });
  });

  it("fails the next N requests with an injected fault, then answers normally", async () => {
    const { ra, arns } = await start();
    ra.injectFault({ count: 2, status: 503, code: "ServiceUnavailableException", message: "simulated outage" });
    const a = await send(ra, arns);
    const b = await send(ra, arns);
    const c = await send(ra, arns);
    expect([a.status, b.status, c.status]).to.deep.equal([503, 503, 201]);
    expect(a.headers["x-amzn-errortype"]).to.equal("ServiceUnavailableException");
    expect(a.json).to.deep.equal({ message: "simulated outage" });
    expect(ra.requests.map((r) => r.status)).to.deep.equal([503, 503, 201]);
  });

  it("sends an injected fault without X-Amzn-ErrorType when no code is given", async () => {
    const { ra, arns } = await start();
    ra.injectFault({ count: 1, status: 500 });
    const res = await send(ra, arns);
    expect(res.status).to.equal(500);
    expect(res.headers["x-amzn-errortype"]).to.equal(undefined);
  });

  it("delays answers by setDelay(ms) and stops delaying at setDelay(0)", async () => {
    const { ra, arns } = await start();
    ra.setDelay(400);
    const t = performance.now();
    expect((await send(ra, arns)).status).to.equal(201);
    expect(performance.now() - t).to.be.at.least(380); // a lower bound: holds on any machine
    // no upper time bound (a busy machine may be slow): a delay still in force would only show as a timeout
    ra.setDelay(0);
    expect((await send(ra, arns)).status).to.equal(201);
  });

  it("closes promptly while an answer is being delayed", async () => {
    const { ra, arns } = await start();
    ra.setDelay(120_000); // longer than this suite's timeout: a close that waited for the answer would fail the test
    const pending = send(ra, arns).catch((err: Error) => err);
    // the stand-in records a request just before it starts delaying the answer
    const deadline = Date.now() + 15_000;
    while (ra.requests.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(ra.requests, "the request is being delayed").to.have.length(1);
    await ra.close();
    expect(await pending).to.be.instanceOf(Error);
  });

  it("issues a 2-second session when minDurationSeconds is lowered, and still refuses 1 second", async () => {
    const { ra, arns } = await start({ minDurationSeconds: 2 });
    const ok = await send(ra, arns, { durationSeconds: 2 });
    expect(ok.status, ok.text).to.equal(201);
    const expiresInMs = Date.parse(ok.json.credentialSet[0].credentials.expiration) - Date.now();
    expect(expiresInMs).to.be.within(0, 2000);
    const tooShort = await send(ra, arns, { durationSeconds: 1 });
    expect(tooShort.status).to.equal(400);
    expect(tooShort.json.message).to.match(/between 2 and 43200/);
  });
});
