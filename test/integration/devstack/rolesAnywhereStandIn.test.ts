import { expect } from "chai";
import { createSessionStore, type SessionStore } from "../../../devstack/aws/sessionStore.js";
import {
  startRolesAnywhereStandIn,
  type RolesAnywhereStandIn,
} from "../../../devstack/rolesanywhere/startRolesAnywhereStandIn.js";
import { systemClock, type Clock } from "../../../lib/time/clock.js";
import type { KeyKind } from "../../../lib/x509/generateKeyPair.js";
import { makeCertificate, type GeneratedCertificate } from "../../../devstack/certificates/makeCertificate.js";
import {
  buildCreateSession,
  makeIdentity,
  sendRaw,
  type BuiltRequest,
  type SessionArns,
  type TestIdentity,
} from "./rolesAnywhereTestKit.js";

const HOUR = 3600_000;

describe("startRolesAnywhereStandIn", function () {
  this.timeout(60_000);
  let nowMs = Date.now();
  const clock: Clock = { now: () => nowMs, sleep: systemClock.sleep };
  let store: SessionStore;
  let ra: RolesAnywhereStandIn;
  let root: GeneratedCertificate;
  let intermediate: GeneratedCertificate;
  let arns: SessionArns;
  let otherRoleArn: string;
  let unlistedRoleArn: string;
  const ids = new Map<string, TestIdentity>();

  before(async () => {
    store = createSessionStore({ clock });
    ra = await startRolesAnywhereStandIn({ sessions: store, clock, tps: 1000 });
    root = await makeCertificate({ subject: "CN=Devstack Root CA, O=Example Corp", ca: true });
    intermediate = await makeCertificate({
      subject: "CN=Devstack Intermediate CA, O=Example Corp",
      ca: true,
      issuer: root,
    });
    for (const kind of ["rsa-2048", "ec-p256", "ec-p384"] as KeyKind[]) {
      ids.set(`${kind}/direct`, await makeIdentity(kind, root, []));
      ids.set(`${kind}/intermediate`, await makeIdentity(kind, intermediate, [intermediate]));
    }
    const trustAnchorArn = ra.addTrustAnchor({ name: "devstack", caCertificatesPem: root.pem }).arn;
    const roleArn = ra.addRole({
      name: "PaymentsApp",
      trustPolicy: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "rolesanywhere.amazonaws.com" },
            Action: ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"],
            Condition: {
              StringLike: { "aws:PrincipalTag/x509SAN/URI": "spiffe://cluster.local/ns/payments/sa/*" },
              StringEquals: { "aws:PrincipalTag/x509Subject/O": "Example Corp" },
              ArnEquals: { "aws:SourceArn": trustAnchorArn },
            },
          },
        ],
      },
    }).arn;
    otherRoleArn = ra.addRole({ name: "Other" }).arn;
    unlistedRoleArn = ra.addRole({ name: "NotInProfile" }).arn;
    const profileArn = ra.addProfile({ name: "apps", roleArns: [roleArn, otherRoleArn] }).arn;
    arns = { trustAnchorArn, profileArn, roleArn };
  });
  after(async () => ra?.close());
  beforeEach(() => (nowMs = Date.now()));

  const id = (k = "ec-p256/intermediate") => ids.get(k)!;
  const build = (o: Partial<Parameters<typeof buildCreateSession>[1]> = {}, identity = id()) =>
    buildCreateSession(identity, { url: ra.url, arns, nowMs, ...o });

  /** Sends `req` and checks an AWS-shaped error with no session issued; returns the message. */
  async function expectRefused(req: BuiltRequest, status: number, code: string, message: RegExp): Promise<void> {
    const before = store.all().length;
    const res = await sendRaw(ra.url, req);
    expect(res.status, res.text).to.equal(status);
    expect(res.headers["x-amzn-errortype"]).to.equal(code);
    expect(res.json.message).to.match(message);
    expect(store.all().length).to.equal(before);
    const last = ra.requests.at(-1)!;
    expect([last.status, last.errorCode]).to.deep.equal([status, code]);
  }

  for (const kind of ["rsa-2048", "ec-p256", "ec-p384"]) {
    for (const path of ["direct", "intermediate"]) {
      it(`issues a session (201) for a ${kind} leaf signed ${path === "direct" ? "by the root" : "through an intermediate"}`, async () => {
        const identity = id(`${kind}/${path}`);
        const res = await sendRaw(
          ra.url,
          build({ body: { durationSeconds: 1800, roleSessionName: "app@payments" } }, identity),
        );
        expect(res.status, res.text).to.equal(201);
        const set = res.json.credentialSet;
        expect(set).to.have.length(1);
        const c = set[0];
        expect(Object.keys(c).sort()).to.deep.equal([
          "assumedRoleUser",
          "credentials",
          "packedPolicySize",
          "roleArn",
          "sourceIdentity",
        ]);
        expect(c.credentials.accessKeyId).to.match(/^ASIA[A-Z0-9]{16}$/);
        expect(c.credentials.secretAccessKey).to.have.length(40);
        expect(c.credentials.sessionToken).to.be.a("string").with.length.above(100);
        expect(c.credentials.expiration).to.equal(
          new Date(Math.floor(nowMs / 1000) * 1000 + 1800_000).toISOString().replace(".000Z", "Z"),
        );
        expect(c.assumedRoleUser.arn).to.equal("arn:aws:sts::123456789012:assumed-role/PaymentsApp/app@payments");
        expect(c.assumedRoleUser.assumedRoleId).to.match(/^AROA[A-Z0-9]+:app@payments$/);
        expect(c.roleArn).to.equal(arns.roleArn);
        expect(c.sourceIdentity).to.equal("app-leaf");
        expect(c.packedPolicySize).to.equal(0);
        expect(res.json.subjectArn).to.match(/^arn:aws:rolesanywhere:us-east-1:123456789012:subject\/[0-9a-f-]{36}$/);
        const session = store.lookup(c.credentials.accessKeyId)!;
        expect(session.secretAccessKey).to.equal(c.credentials.secretAccessKey);
        expect(session.sourceIdentity).to.equal("app-leaf");
        expect(session.tags).to.deep.equal({
          "x509Subject/CN": "app-leaf",
          "x509Subject/O": "Example Corp",
          "x509Subject/OU": "Payments",
          "x509Subject/C": "US",
          "x509Issuer/CN": path === "direct" ? "Devstack Root CA" : "Devstack Intermediate CA",
          "x509Issuer/O": "Example Corp",
          "x509SAN/URI": "spiffe://cluster.local/ns/payments/sa/app",
          "x509SAN/DNS": "app.payments.svc",
        });
        expect(ra.requests.at(-1)!.status).to.equal(201);
        expect(ra.requests.at(-1)!.headers["x-amz-x509"]).to.equal(identity.leaf.cert.raw.toString("base64"));
      });
    }
  }

  it("accepts the ARNs in the JSON body and names the session after the serial when no name is given", async () => {
    const res = await sendRaw(ra.url, build({ arnsInBody: true }));
    expect(res.status, res.text).to.equal(201);
    expect(res.json.credentialSet[0].assumedRoleUser.arn).to.equal(
      `arn:aws:sts::123456789012:assumed-role/PaymentsApp/${id().leaf.cert.serialNumber.toLowerCase()}`,
    );
    expect(ra.requests.at(-1)!.url).to.equal("/sessions");
  });

  describe("tampering", () => {
    const cases: Array<[string, (r: BuiltRequest) => void | Promise<void>, RegExp]> = [
      ["the body", (r) => void (r.body = r.body.replace("3600", "3599")), /^Signature validation failed$/],
      [
        "the query",
        (r) => void (r.path = r.path.replace(encodeURIComponent("role/PaymentsApp"), encodeURIComponent("role/Other"))),
        /^Signature validation failed$/,
      ],
      [
        "a signed header",
        (r) => void (r.headers["amz-sdk-request"] = "attempt=2; max=3"),
        /^Signature validation failed$/,
      ],
      [
        "the date (1 s later)",
        (r) =>
          void (r.headers["x-amz-date"] = r.headers["x-amz-date"]!.replace(/(\d)Z$/, (_, d) => `${(+d + 1) % 10}Z`)),
        /^Signature validation failed$/,
      ],
      [
        "the signature",
        (r) =>
          void (r.headers.authorization = r.headers.authorization!.replace(
            /Signature=(.)/,
            (_, c) => `Signature=${c === "0" ? "1" : "0"}`,
          )),
        /^Signature validation failed$/,
      ],
      [
        "the serial in Credential",
        (r) =>
          void (r.headers.authorization = r.headers.authorization!.replace(
            /Credential=(\d+)/,
            (_, s) => `Credential=${BigInt(s) + 1n}`,
          )),
        /serial number does not match/,
      ],
      [
        "the algorithm",
        (r) =>
          void (r.headers.authorization = r.headers.authorization!.replace(
            "AWS4-X509-ECDSA-SHA256",
            "AWS4-X509-RSA-SHA256",
          )),
        /does not match the certificate's ec key/,
      ],
      [
        "SignedHeaders (host left out)",
        (r) => void (r.headers.authorization = r.headers.authorization!.replace("host;", "")),
        /header 'host' must be signed/,
      ],
      [
        "the chain",
        (r) => void (r.headers["x-amz-x509-chain"] = root.cert.raw.toString("base64")),
        /^Signature validation failed$/,
      ],
    ];
    for (const [what, tamper, message] of cases) {
      it(`refuses a request whose ${what} was changed after signing (403 AccessDeniedException)`, async () => {
        const req = build();
        await tamper(req);
        await expectRefused(req, 403, "AccessDeniedException", message);
      });
    }

    it("refuses a request whose certificate was swapped for another with the same serial", async () => {
      const original = id();
      const twin = await makeIdentity("ec-p256", intermediate, [intermediate], {
        serialHex: original.leaf.cert.serialNumber.toLowerCase(),
      });
      const req = build();
      req.headers["x-amz-x509"] = twin.leaf.cert.raw.toString("base64");
      await expectRefused(req, 403, "AccessDeniedException", /^Signature validation failed$/);
    });

    for (const skewMin of [-6, 6]) {
      it(`refuses X-Amz-Date ${skewMin} minutes from the stand-in's clock`, async () => {
        await expectRefused(
          build({ nowMs: nowMs + skewMin * 60_000 }),
          403,
          "AccessDeniedException",
          /Signature expired/,
        );
      });
    }

    it("accepts X-Amz-Date 4 minutes off, within AWS's 5-minute window", async () => {
      expect((await sendRaw(ra.url, build({ nowMs: nowMs - 4 * 60_000 }))).status).to.equal(201);
    });

    it("refuses a credential scoped to another region", async () => {
      await expectRefused(build({ region: "us-west-2" }), 403, "AccessDeniedException", /scoped to a valid region/);
    });
  });

  describe("certificates", () => {
    it("refuses a leaf from a CA that is not the trust anchor", async () => {
      const otherRoot = await makeCertificate({ subject: "CN=Devstack Root CA, O=Example Corp", ca: true });
      await expectRefused(
        build({}, await makeIdentity("ec-p256", otherRoot, [])),
        403,
        "AccessDeniedException",
        /^Untrusted certificate/,
      );
    });
    it("refuses a leaf whose intermediate was not sent", async () => {
      const noChain = { ...id("ec-p256/intermediate"), chain: [] };
      await expectRefused(build({}, noChain), 403, "AccessDeniedException", /^Untrusted certificate/);
    });
    it("refuses an expired leaf", async () => {
      const expired = await makeIdentity("ec-p256", root, [], {
        notBefore: new Date(nowMs - 48 * HOUR),
        notAfter: new Date(nowMs - HOUR),
      });
      await expectRefused(build({}, expired), 403, "AccessDeniedException", /^Certificate is expired/);
    });
    it("refuses a leaf that is not yet valid", async () => {
      const future = await makeIdentity("ec-p256", root, [], {
        notBefore: new Date(nowMs + HOUR),
        notAfter: new Date(nowMs + 48 * HOUR),
      });
      await expectRefused(build({}, future), 403, "AccessDeniedException", /^Certificate is not yet valid/);
    });
    it("refuses a leaf once the stand-in's clock passes its notAfter", async () => {
      const shortLived = await makeIdentity("ec-p256", root, [], {
        notBefore: new Date(nowMs - HOUR),
        notAfter: new Date(nowMs + HOUR),
      });
      expect((await sendRaw(ra.url, build({}, shortLived))).status).to.equal(201);
      nowMs += 2 * HOUR;
      await expectRefused(build({}, shortLived), 403, "AccessDeniedException", /^Certificate is expired/);
    });
    it("refuses an expired intermediate", async () => {
      const oldInt = await makeCertificate({
        subject: "CN=Old Intermediate",
        ca: true,
        issuer: root,
        notAfter: new Date(nowMs - HOUR),
      });
      await expectRefused(
        build({}, await makeIdentity("ec-p256", oldInt, [oldInt])),
        403,
        "AccessDeniedException",
        /^Certificate is expired \(intermediate/,
      );
    });
    it("refuses a leaf that is itself a CA", async () => {
      await expectRefused(
        build({}, await makeIdentity("ec-p256", root, [], { ca: true })),
        403,
        "AccessDeniedException",
        /must not be a CA/,
      );
    });
    it("refuses a certificate the role's trust policy does not admit (another service account)", async () => {
      const other = await makeIdentity("ec-p256", root, [], { uriSans: ["spiffe://cluster.local/ns/billing/sa/app"] });
      await expectRefused(build({}, other), 403, "AccessDeniedException", /trust policy does not allow sts:AssumeRole/);
    });
  });

  describe("resources and parameters", () => {
    it("refuses a disabled profile, then accepts it again once enabled", async () => {
      ra.setProfileEnabled(arns.profileArn, false);
      try {
        await expectRefused(build(), 403, "AccessDeniedException", /Profile is disabled/);
      } finally {
        ra.setProfileEnabled(arns.profileArn, true);
      }
      expect((await sendRaw(ra.url, build())).status).to.equal(201);
    });
    it("refuses a disabled trust anchor", async () => {
      ra.setTrustAnchorEnabled(arns.trustAnchorArn, false);
      try {
        await expectRefused(build(), 403, "AccessDeniedException", /Trust anchor is disabled/);
      } finally {
        ra.setTrustAnchorEnabled(arns.trustAnchorArn, true);
      }
    });
    it("refuses a role that is not in the profile", async () => {
      await expectRefused(
        build({ arns: { ...arns, roleArn: unlistedRoleArn } }),
        403,
        "AccessDeniedException",
        /not associated with the profile/,
      );
    });
    const unknownUuid = "00000000-0000-4000-8000-000000000000";
    const bad: Array<[string, () => Partial<SessionArns>, number, string, RegExp]> = [
      [
        "an unknown profile",
        () => ({ profileArn: arns.profileArn.replace(/[0-9a-f-]{36}$/, unknownUuid) }),
        404,
        "ResourceNotFoundException",
        /Profile not found/,
      ],
      [
        "an unknown trust anchor",
        () => ({ trustAnchorArn: arns.trustAnchorArn.replace(/[0-9a-f-]{36}$/, unknownUuid) }),
        404,
        "ResourceNotFoundException",
        /Trust anchor not found/,
      ],
      [
        "an unknown role",
        () => ({ roleArn: "arn:aws:iam::123456789012:role/Nobody" }),
        404,
        "ResourceNotFoundException",
        /Role not found/,
      ],
      [
        "a malformed profile ARN",
        () => ({ profileArn: "arn:aws:rolesanywhere:us-east-1:123456789012:profile/nope" }),
        400,
        "ValidationException",
        /Invalid profileArn/,
      ],
      [
        "a profile ARN in another region",
        () => ({ profileArn: arns.profileArn.replace("us-east-1", "eu-west-1") }),
        400,
        "ValidationException",
        /does not match the endpoint region/,
      ],
      [
        "an empty roleArn",
        () => ({ roleArn: "" }),
        400,
        "ValidationException",
        /'roleArn' failed to satisfy constraint/,
      ],
    ];
    for (const [what, change, status, code, message] of bad) {
      it(`answers ${status} ${code} for ${what}`, async () => {
        await expectRefused(build({ arns: { ...arns, ...change() } }), status, code, message);
      });
    }
    const bodies: Array<[string, object, RegExp]> = [
      ["durationSeconds 899", { durationSeconds: 899 }, /between 900 and 43200/],
      ["durationSeconds 43201", { durationSeconds: 43201 }, /between 900 and 43200/],
      [
        "durationSeconds above the profile's 3600",
        { durationSeconds: 3601 },
        /exceeds the profile's maximum session duration of 3600/,
      ],
      ["a one-character session name", { roleSessionName: "a" }, /roleSessionName/],
      ["a session name with a space", { roleSessionName: "my session" }, /roleSessionName/],
    ];
    for (const [what, body, message] of bodies) {
      it(`answers 400 ValidationException for ${what}`, async () => {
        await expectRefused(build({ body }), 400, "ValidationException", message);
      });
    }
    it("accepts durationSeconds 900", async () => {
      const res = await sendRaw(ra.url, build({ body: { durationSeconds: 900 } }));
      expect(res.status).to.equal(201);
      expect(Date.parse(res.json.credentialSet[0].credentials.expiration)).to.equal(
        Math.floor(nowMs / 1000) * 1000 + 900_000,
      );
    });
  });
});
