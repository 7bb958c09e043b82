import { expect } from "chai";
import { assumeRole, type AssumeRoleConfig } from "../../../../lib/sts/assumeRole.js";
import type { StsTarget } from "../../../../lib/sts/stsCall.js";
import type { AwsCredentials } from "../../../../lib/credentials/awsCredentials.js";
import { createSessionStore, type SessionStore } from "../../../../devstack/aws/sessionStore.js";
import { credentialsOf } from "../../../support/sessionCredentials.js";
import { startStsStandIn, type StsStandIn } from "../../../../devstack/sts/startStsStandIn.js";
import { systemClock, type Clock } from "../../../../lib/time/clock.js";
import { expectIamraError } from "../../../support/expectIamraError.js";

const ACCOUNT = "123456789012";
const SOURCE_ROLE = `arn:aws:iam::${ACCOUNT}:role/App`;
const CHAINED_ROLE = `arn:aws:iam::${ACCOUNT}:role/Chained`;
const GUARDED_ROLE = "arn:aws:iam::210987654321:role/CrossAccount";

describe("assumeRole (role chaining against the STS stand-in)", function () {
  this.timeout(20_000);
  let offsetMs = 0;
  const clock: Clock = { now: () => Date.now() + offsetMs, sleep: systemClock.sleep };
  let sessions: SessionStore;
  let sts: StsStandIn;
  let source: AwsCredentials;
  const target = (): StsTarget => ({ region: "eu-west-1", endpoint: sts.url, timeoutMs: 5000, maxAttempts: 1 });
  const chained = (extra: Partial<AssumeRoleConfig> = {}): AssumeRoleConfig => ({
    roleArn: CHAINED_ROLE,
    roleSessionName: "iamra-vault",
    ...extra,
  });

  before(async () => {
    sessions = createSessionStore({ clock, accountId: ACCOUNT });
    sts = await startStsStandIn({ sessions, clock, roles: { [GUARDED_ROLE]: { externalId: "ext-42" } } });
    // a 12-hour Roles Anywhere session, the longest a profile allows
    source = credentialsOf(sessions.issue({ roleArn: SOURCE_ROLE, roleSessionName: "pod", durationSeconds: 43_200 }));
  });
  after(async () => sts?.close());
  afterEach(() => (offsetMs = 0));

  it("returns the chained role's credentials, naming the role and the assumed-role session", async () => {
    const out = await assumeRole(source, chained(), target());
    const issued = sessions.lookup(out.accessKeyId)!;
    expect(issued, "a session the stand-in issued").to.not.equal(undefined);
    expect(out).to.deep.equal({
      accessKeyId: issued.accessKeyId,
      secretAccessKey: issued.secretAccessKey,
      sessionToken: issued.sessionToken,
      expiration: issued.expiration.toISOString().replace(/\.000Z$/, "Z"),
      expirationMs: issued.expiration.getTime(),
      roleArn: CHAINED_ROLE,
      assumedRoleArn: `arn:aws:sts::${ACCOUNT}:assumed-role/Chained/iamra-vault`,
    });
    expect(out.expiration).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(sts.requests.at(-1)).to.deep.equal({ action: "AssumeRole", accessKeyId: source.accessKeyId, status: 200 });
  });

  it("gets a one-hour session when no duration is asked for, however long the Roles Anywhere session is", async () => {
    const out = await assumeRole(source, chained(), target());
    const issuedAt = sessions.lookup(out.accessKeyId)!.issuedAt.getTime();
    expect(out.expirationMs).to.equal(Math.floor((issuedAt + 3_600_000) / 1000) * 1000);
    expect(out.expirationMs).to.be.below(source.expirationMs);
  });

  it("passes the asked duration on", async () => {
    const out = await assumeRole(source, chained({ durationSeconds: 900 }), target());
    const issuedAt = sessions.lookup(out.accessKeyId)!.issuedAt.getTime();
    expect(out.expirationMs).to.equal(Math.floor((issuedAt + 900_000) / 1000) * 1000);
  });

  it("fails with STS_ASSUME_ROLE_FAILED, not retryable, when asked for more than the 1-hour chaining cap", async () => {
    const err = await expectIamraError(
      () => assumeRole(source, chained({ durationSeconds: 7200 }), target()),
      "STS_ASSUME_ROLE_FAILED",
    );
    expect([err.status, err.retryable, err.step]).to.deep.equal([400, false, "assume-role"]);
    expect(err.message).to.match(/^STS assume-role failed \(HTTP 400, ValidationError\): .*1 hour session limit/);
    expect(err.hint).to.contain("chaining caps sessions at 1 h");
  });

  it("assumes a role guarded by an external ID when given that ID", async () => {
    const out = await assumeRole(source, { ...chained(), roleArn: GUARDED_ROLE, externalId: "ext-42" }, target());
    expect(out.assumedRoleArn).to.equal("arn:aws:sts::210987654321:assumed-role/CrossAccount/iamra-vault");
  });

  for (const externalId of [undefined, "wrong"]) {
    const which = externalId ? "a wrong" : "no";
    it(`reports the denial as STS_ASSUME_ROLE_FAILED (403) with ${which} external ID`, async () => {
      const cfg = { ...chained(), roleArn: GUARDED_ROLE, externalId };
      const err = await expectIamraError(() => assumeRole(source, cfg, target()), "STS_ASSUME_ROLE_FAILED");
      expect([err.status, err.retryable]).to.deep.equal([403, false]);
      expect(err.message).to.contain("AccessDenied").and.contain(`sts:AssumeRole on resource: ${GUARDED_ROLE}`);
      expect(err.hint).to.contain("must allow sts:AssumeRole from the Roles Anywhere role");
      expect(err.hint?.includes("with this external ID")).to.equal(externalId !== undefined);
      expect(err.message).to.not.contain(source.secretAccessKey).and.not.contain(source.sessionToken);
    });
  }

  it("reports Roles Anywhere credentials that have expired (ExpiredToken)", async () => {
    offsetMs = source.expirationMs - Date.now() + 1000;
    const err = await expectIamraError(() => assumeRole(source, chained(), target()), "STS_ASSUME_ROLE_FAILED");
    expect(err.message).to.contain("ExpiredToken");
  });

  it("reports credentials STS does not know (InvalidClientTokenId)", async () => {
    const unknown = { ...source, accessKeyId: "ASIAAAAAAAAAAAAAAAAA" };
    const err = await expectIamraError(() => assumeRole(unknown, chained(), target()), "STS_ASSUME_ROLE_FAILED");
    expect(err.message).to.contain("(HTTP 403, InvalidClientTokenId)");
  });

  it("sends nothing and fails with ABORTED once stopped", async () => {
    const before = sts.requests.length;
    const stop = new AbortController();
    stop.abort(new Error("received SIGTERM"));
    await expectIamraError(() => assumeRole(source, chained(), target(), stop.signal), "ABORTED");
    expect(sts.requests.length).to.equal(before);
  });
});
