/**
 * Verifies AWS Signature Version 4 (AWS4-HMAC-SHA256) requests signed with sessions from the devstack session store.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { buildCanonicalRequest, encodeQueryComponent, payloadHash } from "../../lib/rolesanywhere/canonicalRequest.js";
import type { IssuedSession, SessionStore } from "../aws/sessionStore.js";
import { headerMap } from "../aws/headerMap.js";
import { MAX_SKEW_MS, parseAmzDate } from "../aws/parseAmzDate.js";
import { expiredToken, invalidClientTokenId, signatureDoesNotMatch, StsError } from "./stsError.js";

/** The request as received. */
export interface ReceivedHmacRequest {
  method: string;
  /** Path as sent (percent-encoded), without the query. */
  path: string;
  rawQuery: string;
  rawHeaders: readonly string[];
  body: Buffer;
}

const AUTH_RE =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

/**
 * The SigV4 canonical URI for non-S3 services: each path segment URI-encoded once more (the spec's double encoding).
 */
export function canonicalUri(path: string): string {
  const p = path === "" ? "/" : path;
  return p.split("/").map(encodeQueryComponent).join("/");
}

function queryRecord(rawQuery: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of rawQuery.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, "%20"));
      } catch {
        throw signatureDoesNotMatch("The query string is not valid percent-encoding.");
      }
    };
    const [k, v] = eq < 0 ? [decode(pair), ""] : [decode(pair.slice(0, eq)), decode(pair.slice(eq + 1))];
    if (k in out)
      throw signatureDoesNotMatch(`Query parameter "${k}" is repeated; the stand-in does not sign repeated keys`);
    out[k] = v;
  }
  return out;
}

/** HMAC-SHA256 signing key: "AWS4"+secret → date → region → service → "aws4_request". */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  let key = createHmac("sha256", `AWS4${secret}`).update(date).digest();
  for (const part of [region, service, "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
  return key;
}

/**
 * Returns the session that signed the request, or throws StsError: MissingAuthenticationToken, IncompleteSignature,
 * InvalidClientTokenId (unknown key or token), ExpiredToken, SignatureDoesNotMatch (scope, date window, signature).
 */
export function verifySigV4Hmac(
  req: ReceivedHmacRequest,
  o: { store: SessionStore; service: string; nowMs: number },
): IssuedSession {
  const headers = headerMap(req.rawHeaders);
  const auth = headers.get("authorization");
  if (!auth) throw new StsError(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
  const m = AUTH_RE.exec(auth.trim());
  if (!m)
    throw new StsError(
      400,
      "IncompleteSignature",
      "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters (AWS4-HMAC-SHA256).",
    );
  const [, accessKeyId = "", scopeDate = "", region = "", service = "", terminator = "", signedList = ""] = m;
  const signature = m[7] ?? "";
  if (service !== o.service)
    throw signatureDoesNotMatch(`Credential should be scoped to correct service: '${o.service}'.`);
  if (terminator !== "aws4_request")
    throw signatureDoesNotMatch("Credential should be scoped with a valid terminator: 'aws4_request'.");

  const session = o.store.lookup(accessKeyId);
  if (!session) throw invalidClientTokenId();
  if (headers.get("x-amz-security-token") !== session.sessionToken) throw invalidClientTokenId();
  if (session.expiration.getTime() <= o.nowMs) throw expiredToken();

  const amzDate = headers.get("x-amz-date") ?? "";
  const dateMs = parseAmzDate(amzDate);
  if (dateMs === undefined) throw new StsError(400, "IncompleteSignature", "Missing or malformed X-Amz-Date header.");
  if (scopeDate !== amzDate.slice(0, 8)) {
    throw signatureDoesNotMatch(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}'`,
    );
  }
  if (Math.abs(dateMs - o.nowMs) > MAX_SKEW_MS) {
    const server = new Date(o.nowMs).toISOString().replace(/[-:]|\.\d{3}/g, "");
    throw signatureDoesNotMatch(
      `Signature expired: ${amzDate} is now earlier or later than ${server} by more than 5 min.`,
    );
  }

  const signedNames = signedList.split(";");
  if (!signedNames.includes("host")) throw signatureDoesNotMatch("'Host' must be a signed header.");
  const signed: Record<string, string> = {};
  for (const name of signedNames) {
    const value = headers.get(name);
    if (value === undefined) throw signatureDoesNotMatch(`Signed header '${name}' is missing from the request.`);
    signed[name] = value;
  }
  const declaredHash = headers.get("x-amz-content-sha256");
  if (declaredHash !== undefined && declaredHash !== "UNSIGNED-PAYLOAD" && declaredHash !== payloadHash(req.body)) {
    throw signatureDoesNotMatch("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  const built = buildCanonicalRequest({
    method: req.method,
    canonicalUri: canonicalUri(req.path),
    query: queryRecord(req.rawQuery),
    headers: signed,
    body: req.body,
  });
  let canonicalRequest = built.canonicalRequest;
  if (built.signedHeaders !== signedList)
    throw signatureDoesNotMatch(
      "SignedHeaders must be lower-case, sorted, and may not list authorization or user-agent.",
    );
  if (declaredHash !== undefined) canonicalRequest = canonicalRequest.replace(/[0-9a-f]{64}$/, declaredHash);
  const stringToSign = [
    "AWS4-HMAC-SHA256",
    amzDate,
    `${scopeDate}/${region}/${service}/aws4_request`,
    createHash("sha256").update(canonicalRequest).digest("hex"),
  ].join("\n");
  const key = signingKey(session.secretAccessKey, scopeDate, region, service);
  const expected = createHmac("sha256", key).update(stringToSign).digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) throw signatureDoesNotMatch();
  return session;
}
