import { expect } from "chai";
import { awsErrorCode, parseAwsError } from "../../../../lib/rolesanywhere/parseAwsError.js";
import type { HttpAnswer } from "../../../../lib/rolesanywhere/sendHttpRequest.js";

const NOW = Date.UTC(2030, 0, 1);
const CONTEXT = { endpoint: "https://rolesanywhere.eu-west-1.amazonaws.com", attempt: 2, nowMs: NOW };

function answer(status: number, body: string, headers: HttpAnswer["headers"] = {}): HttpAnswer {
  return { status, body, headers };
}
const json = (o: unknown) => JSON.stringify(o);

describe("awsErrorCode", () => {
  type Body = Record<string, unknown> | undefined;
  const header = (v: string) => answer(400, "", { "x-amzn-errortype": v });
  const cases: Array<[name: string, a: HttpAnswer, body: Body, want: string | undefined]> = [
    [
      "the x-amzn-errortype header, before the body",
      header("AccessDeniedException"),
      { __type: "ValidationException" },
      "AccessDeniedException",
    ],
    [
      "the header without the text after ':'",
      header("ValidationException:http://internal.amazon.com/coral/com.amazon.x/"),
      undefined,
      "ValidationException",
    ],
    [
      "__type without its namespace",
      answer(404, ""),
      { __type: "com.amazonaws.rolesanywhere#ResourceNotFoundException" },
      "ResourceNotFoundException",
    ],
    ["a lower-case code", answer(400, ""), { code: "ValidationException" }, "ValidationException"],
    ["a capitalised Code", answer(400, ""), { Code: " Throttling " }, "Throttling"],
    ["nothing when __type is not a string", answer(400, ""), { __type: 7 }, undefined],
    ["nothing when only a namespace is given", answer(400, ""), { __type: "aws#" }, undefined],
    ["nothing without a header or body", answer(502, "Bad Gateway"), undefined, undefined],
  ];
  for (const [name, a, body, want] of cases) {
    it(`reads ${name}`, () => {
      expect(awsErrorCode(a, body)).to.equal(want);
    });
  }
});

describe("parseAwsError", () => {
  const mapping: Array<[name: string, a: HttpAnswer, code: string, retryable: boolean]> = [
    [
      "403 AccessDeniedException",
      answer(403, json({ message: "untrusted certificate" }), { "x-amzn-errortype": "AccessDeniedException" }),
      "RA_ACCESS_DENIED",
      false,
    ],
    ["a 403 without a code", answer(403, ""), "RA_ACCESS_DENIED", false],
    [
      "a 404 ResourceNotFoundException",
      answer(404, json({ __type: "ResourceNotFoundException", message: "no" })),
      "RA_NOT_FOUND",
      false,
    ],
    [
      "a 400 ValidationException",
      answer(400, json({ message: "bad duration" }), { "x-amzn-errortype": "ValidationException" }),
      "RA_VALIDATION",
      false,
    ],
    ["a 400 without a code", answer(400, "{}"), "RA_VALIDATION", false],
    ["a 409 with an unknown code", answer(409, json({ __type: "ConflictException" })), "RA_REQUEST_FAILED", false],
    ["a 401 plain-text answer", answer(401, "Unauthorized"), "RA_REQUEST_FAILED", false],
    ["a 429", answer(429, ""), "RA_THROTTLED", true],
    ["a 400 ThrottlingException", answer(400, json({ __type: "ThrottlingException" })), "RA_THROTTLED", true],
    [
      "a 400 XML Throttling",
      answer(400, "<Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error>"),
      "RA_THROTTLED",
      true,
    ],
    ["a 500", answer(500, json({ __type: "InternalServerException" })), "RA_SERVER_ERROR", true],
    [
      "a 503 HTML page from a load balancer",
      answer(503, "<html><body>503 Service Unavailable</body></html>"),
      "RA_SERVER_ERROR",
      true,
    ],
    [
      "a 5xx that names AccessDeniedException",
      answer(502, "", { "x-amzn-errortype": "AccessDeniedException" }),
      "RA_SERVER_ERROR",
      true,
    ],
    [
      "a 408 RequestTimeoutException",
      answer(408, json({ __type: "RequestTimeoutException" })),
      "RA_SERVER_ERROR",
      true,
    ],
  ];
  for (const [name, a, code, retryable] of mapping) {
    it(`maps ${name} to ${code}${retryable ? " (retryable)" : ""}`, () => {
      const err = parseAwsError(a, CONTEXT);
      const got = [err.code, err.retryable, err.status, err.step];
      expect(got).to.deep.equal([code, retryable, a.status, "create-session"]);
    });
  }

  it("puts the AWS message and code in its message and the known hint for the code", () => {
    const err = parseAwsError(
      answer(403, json({ message: "Untrusted signing certificate." }), { "x-amzn-errortype": "AccessDeniedException" }),
      CONTEXT,
    );
    expect(err.message).to.equal(
      "Roles Anywhere CreateSession failed (HTTP 403, AccessDeniedException): Untrusted signing certificate.",
    );
    expect(err.hint).to.contain("trust policy admits rolesanywhere.amazonaws.com");
  });

  it("reads Message with a capital M", () => {
    const err = parseAwsError(answer(400, json({ __type: "ValidationException", Message: "bad name" })), CONTEXT);
    expect(err.message).to.match(/\(HTTP 400, ValidationException\): bad name$/);
    expect(err.hint).to.contain("session duration");
  });

  it("reads the code and message of an XML error body, decoding entities", () => {
    const body =
      '<?xml version="1.0"?>\n<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">' +
      "<Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not &quot;allowed&quot; &amp; no</Message></Error>" +
      "<RequestId>r-1</RequestId></ErrorResponse>";
    const err = parseAwsError(answer(403, body), CONTEXT);
    expect(err.message).to.equal('Roles Anywhere CreateSession failed (HTTP 403, AccessDenied): not "allowed" & no');
    expect(err.details?.awsErrorCode).to.equal("AccessDenied");
  });

  it("quotes the start of a body that is neither JSON nor an XML error, without a code", () => {
    const page = `<html>${"x".repeat(300)}</html>`;
    const err = parseAwsError(answer(502, page), CONTEXT);
    expect(err.message).to.equal(`Roles Anywhere CreateSession failed (HTTP 502): ${page.slice(0, 200)}`);
    expect(err.details?.awsErrorCode).to.equal(undefined);
  });

  it("says 'no message' for an empty body, and ignores a message that is not a string", () => {
    expect(parseAwsError(answer(400, ""), CONTEXT).message).to.match(/\(HTTP 400\): no message$/);
    const odd = parseAwsError(answer(400, json({ message: { nested: true } })), CONTEXT);
    expect(odd.message).to.match(/\(HTTP 400\): \{"message":\{"nested":true\}\}$/);
  });

  it("treats a JSON body that is not an object (array, string, null) as having no fields", () => {
    for (const body of ['["ThrottlingException"]', '"ThrottlingException"', "null"]) {
      const err = parseAwsError(answer(400, body), CONTEXT);
      expect([err.code, err.details?.awsErrorCode], body).to.deep.equal(["RA_VALIDATION", undefined]);
    }
  });

  it("keeps the endpoint, attempt, request ID and Retry-After wait in its details", () => {
    const headers = { "x-amzn-requestid": "req-123", "retry-after": "3", "x-amzn-errortype": "ThrottlingException" };
    const err = parseAwsError(answer(429, ""), { ...CONTEXT, attempt: 4 });
    expect(err.details?.retryAfterMs).to.equal(undefined);
    const withHeaders = parseAwsError(answer(429, "", headers), { ...CONTEXT, attempt: 4 });
    expect(withHeaders.details).to.deep.equal({
      endpoint: CONTEXT.endpoint,
      awsErrorCode: "ThrottlingException",
      requestId: "req-123",
      attempt: 4,
      retryAfterMs: 3000,
    });
    expect(withHeaders.hint).to.contain("--throttle-budget");
  });

  it("reads a Retry-After date against the given time", () => {
    const at = new Date(NOW + 5000).toUTCString();
    expect(parseAwsError(answer(503, "", { "retry-after": at }), CONTEXT).details?.retryAfterMs).to.equal(5000);
  });
});
