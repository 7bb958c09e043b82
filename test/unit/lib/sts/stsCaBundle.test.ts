import { expect } from "chai";
import { getCallerIdentity } from "../../../../lib/sts/getCallerIdentity.js";
import type { StsTarget } from "../../../../lib/sts/stsCall.js";
import { createSessionStore, type SessionStore } from "../../../../devstack/aws/sessionStore.js";
import { startStsStandIn, type StsStandIn } from "../../../../devstack/sts/startStsStandIn.js";
import { startTlsFront, type TlsFront } from "../../../support/tlsFront.js";
import { expectIamraError } from "../../../support/expectIamraError.js";
import { credentialsOf } from "../../../support/sessionCredentials.js";
import { systemClock } from "../../../../lib/time/clock.js";

const ROLE = "arn:aws:iam::123456789012:role/App";

describe("STS over HTTPS with --ca-bundle and --no-verify-ssl (as for Roles Anywhere)", function () {
  this.timeout(30_000);
  let sessions: SessionStore;
  let sts: StsStandIn;
  let front: TlsFront;
  const target = (extra: Partial<StsTarget>): StsTarget => ({
    region: "us-east-1",
    endpoint: front.url,
    timeoutMs: 5000,
    maxAttempts: 1,
    ...extra,
  });
  const creds = () => credentialsOf(sessions.issue({ roleArn: ROLE, roleSessionName: "pod", durationSeconds: 3600 }));

  before(async () => {
    sessions = createSessionStore({ clock: systemClock, accountId: "123456789012" });
    sts = await startStsStandIn({ sessions, clock: systemClock });
    front = await startTlsFront(sts.url); // an HTTPS endpoint whose certificate only the front's own CA signs
  });
  after(async () => {
    await front?.close();
    await sts?.close();
  });

  it("trusts the bundle's CA for STS", async () => {
    const who = await getCallerIdentity(creds(), target({ caPem: front.caPem }));
    expect(who.arn).to.equal("arn:aws:sts::123456789012:assumed-role/App/pod");
  });

  it("refuses the endpoint's certificate without the bundle (the default roots do not hold its CA)", async () => {
    const before = front.requests;
    const err = await expectIamraError(() => getCallerIdentity(creds(), target({})), "STS_VERIFY_FAILED");
    expect(err.message).to.match(/certificate/i);
    expect(front.requests).to.equal(before);
  });

  it("skips the check with --no-verify-ssl", async () => {
    const who = await getCallerIdentity(creds(), target({ rejectUnauthorized: false }));
    expect(who.arn).to.equal("arn:aws:sts::123456789012:assumed-role/App/pod");
  });
});
