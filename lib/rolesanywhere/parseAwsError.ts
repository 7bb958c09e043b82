import { IamraError } from "../errors.js";
import { parseRetryAfterMs } from "../time/parseRetryAfter.js";
import type { HttpAnswer } from "./sendHttpRequest.js";

const THROTTLING_CODES = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
  "ProvisionedThroughputExceededException",
  "BandwidthLimitExceeded",
]);

/**
 * Reads the AWS error code: X-Amzn-ErrorType header, else `__type`/`code`/`Code` in the body (JSON, or XML's `<Code>`);
 * the text after '#' and before ':'.
 */
export function awsErrorCode(answer: HttpAnswer, body: Record<string, unknown> | undefined): string | undefined {
  const raw =
    (answer.headers["x-amzn-errortype"] as string | undefined) ??
    (typeof body?.__type === "string" ? body.__type : undefined) ??
    (typeof body?.code === "string" ? body.code : undefined) ??
    (typeof body?.Code === "string" ? body.Code : undefined);
  if (!raw) return undefined;
  const afterHash = raw.includes("#") ? raw.slice(raw.indexOf("#") + 1) : raw;
  return afterHash.split(":")[0]!.trim() || undefined;
}

/** The error fields of a JSON body, or of an XML `<Error>` body (query-protocol style, e.g. from a gateway). */
function parseBody(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return parseXmlError(text);
  }
}

const XML_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Code and Message of an XML error body (`<Error><Code>…</Code><Message>…</Message></Error>`), if it is one. */
function parseXmlError(text: string): Record<string, unknown> | undefined {
  if (!/^\s*(<\?xml[^>]*>\s*)?<(\w+:)?(ErrorResponse|Error)\b/.test(text)) return undefined;
  const field = (name: string) => {
    const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(text);
    return m?.[1]!.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => XML_ENTITIES[e]!).trim();
  };
  return { Code: field("Code"), Message: field("Message") };
}

const HINTS: Record<string, string> = {
  AccessDeniedException:
    "check that the certificate chains to the trust anchor, is valid now, that the trust anchor and profile are " +
    "enabled, and that the role's trust policy admits rolesanywhere.amazonaws.com with conditions matching this " +
    "certificate",
  ValidationException:
    "check the session duration (900-43200 s and within the profile's limit), the session name and the ARNs",
  ResourceNotFoundException: "check the trust anchor, profile and role ARNs (and the region/account they name)",
};

/** Turns a non-2xx CreateSession answer into a typed error (retryable for 5xx, 429 and throttling codes). */
export function parseAwsError(
  answer: HttpAnswer,
  context: { endpoint: string; attempt: number; nowMs: number },
): IamraError {
  const body = parseBody(answer.body);
  const awsCode = awsErrorCode(answer, body);
  const awsMessage = [body?.message, body?.Message].find((m): m is string => typeof m === "string" && m !== "");
  const throttled = answer.status === 429 || (awsCode !== undefined && THROTTLING_CODES.has(awsCode));
  const serverSide = answer.status >= 500 || awsCode === "RequestTimeout" || awsCode === "RequestTimeoutException";
  const code = throttled
    ? "RA_THROTTLED"
    : serverSide
      ? "RA_SERVER_ERROR"
      : awsCode === "AccessDeniedException" || answer.status === 403
        ? "RA_ACCESS_DENIED"
        : awsCode === "ResourceNotFoundException" || answer.status === 404
          ? "RA_NOT_FOUND"
          : awsCode === "ValidationException" || answer.status === 400
            ? "RA_VALIDATION"
            : "RA_REQUEST_FAILED";
  const hint = throttled
    ? "Roles Anywhere CreateSession is limited to 10 requests per second per account and region by default; " +
      "throttled calls are retried until --throttle-budget is spent: raise it, start fewer pods at once, " +
      "or ask AWS for a higher quota"
    : serverSide
      ? "Roles Anywhere had a server-side problem; it is retried with backoff"
      : ((awsCode && HINTS[awsCode]) ?? "see the AWS message");
  return new IamraError({
    code,
    message:
      `Roles Anywhere CreateSession failed (HTTP ${answer.status}${awsCode ? `, ${awsCode}` : ""}): ` +
      (awsMessage ?? (answer.body.slice(0, 200) || "no message")),
    hint,
    retryable: throttled || serverSide,
    step: "create-session",
    status: answer.status,
    details: {
      endpoint: context.endpoint,
      awsErrorCode: awsCode,
      requestId: answer.headers["x-amzn-requestid"],
      attempt: context.attempt,
      retryAfterMs: parseRetryAfterMs(answer.headers["retry-after"], context.nowMs),
    },
  });
}
