import { expect } from "chai";
import { stsError, type StsTarget } from "../../../../lib/sts/stsCall.js";
import { getCallerIdentity } from "../../../../lib/sts/getCallerIdentity.js";
import { startConnectRecorder, type ConnectRecorder } from "../../../support/connectRecorder.js";
import { expectIamraError } from "../../../support/expectIamraError.js";

describe("stsError", () => {
  const cases: Array<[string, unknown, string]> = [
    [
      "status and name",
      Object.assign(new Error("denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }),
      "STS assume-role failed (HTTP 403, AccessDenied): denied",
    ],
    [
      "a name only (no HTTP answer)",
      Object.assign(new Error("timed out"), { name: "TimeoutError" }),
      "STS assume-role failed (TimeoutError): timed out",
    ],
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
    expect(stsError("verify", { name: "X", message: "m", $metadata: { httpStatusCode: 503 } }, "h").retryable).to.equal(
      true,
    );
    expect(
      stsError("verify", { name: "AccessDenied", message: "m", $metadata: { httpStatusCode: 403 } }, "h").retryable,
    ).to.equal(false);
  });
});

describe("stsClient endpoint and proxy choice", function () {
  this.timeout(30_000);
  let recorder: ConnectRecorder;
  before(async () => {
    recorder = await startConnectRecorder();
  });
  after(async () => recorder?.close());

  const creds = {
    accessKeyId: "ASIATEST",
    secretAccessKey: "s3cr3t",
    sessionToken: "t0ken",
    expiration: "2040-01-01T00:00:00Z",
    expirationMs: Date.parse("2040-01-01T00:00:00Z"),
    roleArn: "arn:aws:iam::000000000000:role/r",
  };
  const cases: Array<[name: string, target: Partial<StsTarget>, connect: string]> = [
    ["the regional endpoint", {}, "CONNECT sts.us-east-1.amazonaws.com:443 HTTP/1.1"],
    ["the FIPS endpoint", { useFips: true }, "CONNECT sts-fips.us-east-1.amazonaws.com:443 HTTP/1.1"],
    ["the dual-stack endpoint", { useDualStack: true }, "CONNECT sts.us-east-1.api.aws:443 HTTP/1.1"],
    [
      "the explicit endpoint over FIPS",
      { useFips: true, endpoint: "https://sts.internal.example:8443" },
      "CONNECT sts.internal.example:8443 HTTP/1.1",
    ],
  ];
  for (const [name, extra, connect] of cases) {
    it(`tunnels to ${name} through HTTPS_PROXY and reports the proxy's refusal as PROXY_REFUSED`, async () => {
      const target: StsTarget = {
        region: "us-east-1",
        timeoutMs: 5000,
        maxAttempts: 1,
        proxies: { httpsProxy: new URL(recorder.url) },
        ...extra,
      };
      const seen = recorder.lines.length;
      const err = await expectIamraError(() => getCallerIdentity(creds, target), "PROXY_REFUSED");
      expect(recorder.lines.slice(seen)).to.deep.equal([connect]);
      expect(err.status).to.equal(502);
    });
  }

  it("connects directly to hosts in NO_PROXY", async () => {
    const seen = recorder.lines.length;
    const target: StsTarget = {
      region: "us-east-1",
      timeoutMs: 5000,
      maxAttempts: 1,
      endpoint: "http://127.0.0.1:9",
      proxies: { httpProxy: new URL(recorder.url), noProxy: "127.0.0.1" },
    };
    const err = await expectIamraError(() => getCallerIdentity(creds, target), "STS_VERIFY_FAILED");
    expect(err.message).to.match(/ECONNREFUSED/);
    expect(recorder.lines.length - seen).to.equal(0);
  });
});
