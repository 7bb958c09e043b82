import { expect } from "chai";
import { makeIdentity, sendRaw, type BuiltRequest } from "./rolesAnywhereTestKit.js";
import { rolesAnywhereScene, type RolesAnywhereScene } from "./rolesAnywhereScene.js";

describe("startRolesAnywhereStandIn", function () {
  this.timeout(60_000);
  const scene = rolesAnywhereScene();
  const { id, build, expectRefused } = scene;
  let ra: RolesAnywhereScene["ra"], root: RolesAnywhereScene["root"], intermediate: RolesAnywhereScene["intermediate"];
  before(() => ({ ra, root, intermediate } = scene));

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
          build({ nowMs: scene.nowMs + skewMin * 60_000 }),
          403,
          "AccessDeniedException",
          /Signature expired/,
        );
      });
    }

    it("accepts X-Amz-Date 4 minutes off, within AWS's 5-minute window", async () => {
      expect((await sendRaw(ra.url, build({ nowMs: scene.nowMs - 4 * 60_000 }))).status).to.equal(201);
    });

    it("refuses a credential scoped to another region", async () => {
      await expectRefused(build({ region: "us-west-2" }), 403, "AccessDeniedException", /scoped to a valid region/);
    });
  });
});
