import { expect } from "chai";
import { sendRaw, type SessionArns } from "./rolesAnywhereTestKit.js";
import { rolesAnywhereScene, type RolesAnywhereScene } from "./rolesAnywhereScene.js";

describe("startRolesAnywhereStandIn", function () {
  this.timeout(60_000);
  const scene = rolesAnywhereScene();
  const { id, build, expectRefused } = scene;
  let ra: RolesAnywhereScene["ra"],
    store: RolesAnywhereScene["store"],
    arns: RolesAnywhereScene["arns"],
    unlistedRoleArn: RolesAnywhereScene["unlistedRoleArn"];
  before(() => ({ ra, store, arns, unlistedRoleArn } = scene));

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
          new Date(Math.floor(scene.nowMs / 1000) * 1000 + 1800_000).toISOString().replace(".000Z", "Z"),
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
        Math.floor(scene.nowMs / 1000) * 1000 + 900_000,
      );
    });
  });
});
