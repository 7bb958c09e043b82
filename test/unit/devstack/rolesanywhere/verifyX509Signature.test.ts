import { expect } from "chai";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { X509Certificate } from "node:crypto";
import { parseAmzDate } from "../../../../devstack/aws/parseAmzDate.js";
import { RolesAnywhereApiError } from "../../../../devstack/rolesanywhere/rolesAnywhereApiError.js";
import { validateCertificateChain } from "../../../../devstack/rolesanywhere/validateCertificateChain.js";
import { verifyX509Signature, type ReceivedRequest } from "../../../../devstack/rolesanywhere/verifyX509Signature.js";

const fixtures = fileURLToPath(new URL("../../../fixtures/roles-anywhere/", import.meta.url));
interface Vector {
  id: number;
  description: string;
  url: string;
  raw_headers: string[];
  body: string;
}
const vectors = JSON.parse(readFileSync(`${fixtures}vectors.json`, "utf8")) as Vector[];
const anchors = ["rsa-ca-cert.pem", "ec-ca-cert.pem"].map(
  (f) => new X509Certificate(readFileSync(`${fixtures}pki/${f}`)),
);

/** The captured request of the official aws_signing_helper, as the stand-in would receive it. */
function received(v: Vector): { req: ReceivedRequest; region: string; nowMs: number } {
  const get = (name: string) =>
    v.raw_headers[v.raw_headers.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === name) + 1]!;
  return {
    req: { method: "POST", rawQuery: v.url.split("?")[1] ?? "", rawHeaders: v.raw_headers, body: Buffer.from(v.body) },
    region: /Credential=\d+\/\d{8}\/([^/]+)\//.exec(get("authorization"))![1]!,
    nowMs: parseAmzDate(get("x-amz-date"))! + 30_000,
  };
}

function refusal(fn: () => unknown): RolesAnywhereApiError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(RolesAnywhereApiError);
    return err as RolesAnywhereApiError;
  }
  throw new Error("expected a refusal");
}

describe("verifyX509Signature (the official helper's captured requests)", () => {
  for (const v of vectors) {
    it(`accepts vector ${v.id} (${v.description}) and chains it to its CA`, () => {
      const { req, region, nowMs } = received(v);
      const out = verifyX509Signature(req, { region, nowMs });
      expect(out.serialDecimal).to.equal(/Credential=(\d+)/.exec(v.raw_headers.join("\n"))![1]);
      const path = validateCertificateChain(out.leaf, out.intermediates, anchors, nowMs);
      expect(path.at(-1)!.subject).to.match(/Root|CA/);
      expect(path[0]).to.equal(out.leaf);
    });

    it(`refuses vector ${v.id} with one body byte changed`, () => {
      const { req, region, nowMs } = received(v);
      req.body = Buffer.from(v.body.replace(/\d(?=[,}])/, (d) => String((+d + 1) % 10)));
      expect(req.body.toString()).to.not.equal(v.body);
      expect(refusal(() => verifyX509Signature(req, { region, nowMs })).message).to.equal(
        "Signature validation failed",
      );
    });
  }

  it("refuses vector 1 six minutes after it was signed", () => {
    const { req, region, nowMs } = received(vectors[0]!);
    const err = refusal(() => verifyX509Signature(req, { region, nowMs: nowMs + 6 * 60_000 }));
    expect([err.status, err.code]).to.deep.equal([403, "AccessDeniedException"]);
    expect(err.message).to.match(/^Signature expired/);
  });

  it("refuses vector 3 (signed for us-west-2) at a us-east-1 endpoint", () => {
    const v3 = vectors.find((v) => v.id === 3)!;
    const { req, nowMs } = received(v3);
    expect(refusal(() => verifyX509Signature(req, { region: "us-east-1", nowMs })).message).to.match(
      /scoped to a valid region/,
    );
  });
});
