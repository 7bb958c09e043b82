import { expect } from "chai";
import { makeCertificate } from "../../../devstack/certificates/makeCertificate.js";
import { makeIdentity, sendRaw } from "./rolesAnywhereTestKit.js";
import { rolesAnywhereScene, type RolesAnywhereScene } from "./rolesAnywhereScene.js";

const HOUR = 3600_000;

describe("startRolesAnywhereStandIn", function () {
  this.timeout(60_000);
  const scene = rolesAnywhereScene();
  const { id, build, expectRefused } = scene;
  let ra: RolesAnywhereScene["ra"], root: RolesAnywhereScene["root"];
  before(() => ({ ra, root } = scene));

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
        notBefore: new Date(scene.nowMs - 48 * HOUR),
        notAfter: new Date(scene.nowMs - HOUR),
      });
      await expectRefused(build({}, expired), 403, "AccessDeniedException", /^Certificate is expired/);
    });
    it("refuses a leaf that is not yet valid", async () => {
      const future = await makeIdentity("ec-p256", root, [], {
        notBefore: new Date(scene.nowMs + HOUR),
        notAfter: new Date(scene.nowMs + 48 * HOUR),
      });
      await expectRefused(build({}, future), 403, "AccessDeniedException", /^Certificate is not yet valid/);
    });
    it("refuses a leaf once the stand-in's clock passes its notAfter", async () => {
      const shortLived = await makeIdentity("ec-p256", root, [], {
        notBefore: new Date(scene.nowMs - HOUR),
        notAfter: new Date(scene.nowMs + HOUR),
      });
      expect((await sendRaw(ra.url, build({}, shortLived))).status).to.equal(201);
      scene.nowMs += 2 * HOUR;
      await expectRefused(build({}, shortLived), 403, "AccessDeniedException", /^Certificate is expired/);
    });
    it("refuses an expired intermediate", async () => {
      const oldInt = await makeCertificate({
        subject: "CN=Old Intermediate",
        ca: true,
        issuer: root,
        notAfter: new Date(scene.nowMs - HOUR),
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
});
