import { expect } from "chai";
import { stsError } from "../../../../lib/sts/stsCall.js";

describe("stsError", () => {
  const cases: Array<[string, unknown, string]> = [
    ["status and name", Object.assign(new Error("denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }), "STS assume-role failed (HTTP 403, AccessDenied): denied"],
    ["a name only (no HTTP answer)", Object.assign(new Error("timed out"), { name: "TimeoutError" }), "STS assume-role failed (TimeoutError): timed out"],
    ["neither", { message: "odd" }, "STS assume-role failed: odd"],
  ];
  for (const [name, err, message] of cases) {
    it(`formats an error with ${name}`, () => {
      const e = stsError("assume-role", err, "hint");
      expect(e.message).to.equal(message);
      expect(e.code).to.equal("STS_ASSUME_ROLE_FAILED");
    });
  }

  it("marks network failures and 5xx retryable, 4xx not", () => {
    expect(stsError("verify", { name: "TimeoutError", message: "t" }, "h").retryable).to.equal(true);
    expect(stsError("verify", { name: "X", message: "m", $metadata: { httpStatusCode: 503 } }, "h").retryable).to.equal(true);
    expect(stsError("verify", { name: "AccessDenied", message: "m", $metadata: { httpStatusCode: 403 } }, "h").retryable).to.equal(false);
  });
});
