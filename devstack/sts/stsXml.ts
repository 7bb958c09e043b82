/** XML bodies of the STS stand-in, shaped like STS's (namespace https://sts.amazonaws.com/doc/2011-06-15/). */
import type { IssuedSession } from "../aws/sessionStore.js";

/** STS's XML namespace. */
const STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

/** Escapes text for an XML element. */
function xmlEscape(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

const el = (name: string, value: string) => `<${name}>${xmlEscape(value)}</${name}>`;

function wrap(action: string, result: string, requestId: string): string {
  return (
    `<${action}Response xmlns="${STS_NAMESPACE}">\n  <${action}Result>\n${result}  </${action}Result>\n` +
    `  <ResponseMetadata>\n    ${el("RequestId", requestId)}\n  </ResponseMetadata>\n</${action}Response>\n`
  );
}

/** GetCallerIdentityResponse for a session. */
export function renderGetCallerIdentity(session: IssuedSession, requestId: string): string {
  const result = `    ${el("Arn", session.assumedRoleArn)}\n    ${el("UserId", session.assumedRoleId)}\n    ${el("Account", session.account)}\n`;
  return wrap("GetCallerIdentity", result, requestId);
}

/** AssumeRoleResponse for a newly issued session; Expiration in ISO 8601 with milliseconds, as STS sends it. */
export function renderAssumeRole(session: IssuedSession, requestId: string): string {
  const result =
    (session.sourceIdentity ? `    ${el("SourceIdentity", session.sourceIdentity)}\n` : "") +
    `    <AssumedRoleUser>\n      ${el("AssumedRoleId", session.assumedRoleId)}\n      ${el("Arn", session.assumedRoleArn)}\n    </AssumedRoleUser>\n` +
    `    <Credentials>\n      ${el("AccessKeyId", session.accessKeyId)}\n      ${el("SecretAccessKey", session.secretAccessKey)}\n` +
    `      ${el("SessionToken", session.sessionToken)}\n      ${el("Expiration", session.expiration.toISOString())}\n    </Credentials>\n` +
    `    ${el("PackedPolicySize", String(Object.keys(session.tags).length > 0 ? 1 : 0))}\n`;
  return wrap("AssumeRole", result, requestId);
}

/** `<ErrorResponse>` with Type Sender (4xx) or Receiver (5xx). */
export function renderError(status: number, code: string, message: string, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${STS_NAMESPACE}">\n  <Error>\n    ${el("Type", status >= 500 ? "Receiver" : "Sender")}\n` +
    `    ${el("Code", code)}\n    ${el("Message", message)}\n  </Error>\n  ${el("RequestId", requestId)}\n</ErrorResponse>\n`
  );
}
