"use strict";
/**
 * The Roles Anywhere CreateSession request of the floor programs (bench/floor/*Floor.cjs), signed with SigV4-X509
 * (https://docs.aws.amazon.com/rolesanywhere/latest/userguide/authentication-sign-process.html), and the reading of
 * its answer. The request is the one iamra-vault sends: the three ARNs in the query string, {"durationSeconds": N} as
 * the body, the leaf certificate in X-Amz-X509 and the intermediates, when there are any, in X-Amz-X509-Chain; the
 * SDK's invocation headers are left out (Roles Anywhere does not need them).
 */
const { createHash, sign } = require("node:crypto");

/** RFC 3986 encoding of a query key or value, as both the URL and the signed canonical query use it. */
function encodeQuery(value) {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const sha256Hex = (data) => createHash("sha256").update(data).digest("hex");

/**
 * The signed CreateSession request: { url, headers, body }, headers keyed by lower-case name, Authorization included.
 * `o`: endpoint (base URL), trustAnchorArn, profileArn, roleArn, durationSeconds, privateKey (KeyObject, EC or RSA),
 * certificate (X509Certificate), chain (X509Certificate[], leaf's issuer first, no root) and nowMs.
 */
function signCreateSession(o) {
  const region = o.trustAnchorArn.split(":")[3];
  if (!region) throw new Error(`the trust anchor ARN "${o.trustAnchorArn}" has no region`);
  const base = new URL(o.endpoint);
  const query = ["profileArn", "roleArn", "trustAnchorArn"].map((k) => `${k}=${encodeQuery(o[k])}`).join("&");
  const url = new URL(`${base.pathname.replace(/\/+$/, "")}/sessions?${query}`, base);
  const body = JSON.stringify({ durationSeconds: o.durationSeconds });
  const amzDate = new Date(o.nowMs)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const headers = {
    "content-type": "application/json",
    host: url.host,
    "x-amz-date": amzDate,
    "x-amz-x509": o.certificate.raw.toString("base64"),
  };
  if (o.chain.length > 0) headers["x-amz-x509-chain"] = o.chain.map((c) => c.raw.toString("base64")).join(",");

  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(";");
  const canonicalHeaders = names.map((n) => `${n}:${headers[n]}\n`).join("");
  // Roles Anywhere signs "/sessions" whatever path prefix the endpoint has
  const canonicalRequest = ["POST", "/sessions", query, canonicalHeaders, signedHeaders, sha256Hex(body)].join("\n");
  const isRsa = o.privateKey.asymmetricKeyType === "rsa";
  const algorithm = isRsa ? "AWS4-X509-RSA-SHA256" : "AWS4-X509-ECDSA-SHA256";
  const scope = `${amzDate.slice(0, 8)}/${region}/rolesanywhere/aws4_request`;
  const stringToSign = [algorithm, amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
  // RSA: PKCS#1 v1.5; ECDSA: the DER-encoded signature, both over SHA-256
  const signature = sign("sha256", Buffer.from(stringToSign), { key: o.privateKey, dsaEncoding: "der" });
  const serial = BigInt(`0x${o.certificate.serialNumber}`).toString(10);
  headers.authorization =
    `${algorithm} Credential=${serial}/${scope}, SignedHeaders=${signedHeaders}, ` +
    `Signature=${signature.toString("hex")}`;
  return { url, headers, body };
}

/**
 * The first credential set of a CreateSession answer: { accessKeyId, secretAccessKey, sessionToken, expiration }.
 * Throws, with the status and body, when the answer is not a 2xx carrying all four.
 */
function credentialsFromAnswer(status, text) {
  if (status < 200 || status > 299) throw new Error(`CreateSession answered HTTP ${status}: ${text.slice(0, 500)}`);
  const credentials = JSON.parse(text).credentialSet?.[0]?.credentials;
  for (const field of ["accessKeyId", "secretAccessKey", "sessionToken", "expiration"]) {
    if (typeof credentials?.[field] !== "string") throw new Error(`CreateSession's answer has no credentials.${field}`);
  }
  return credentials;
}

module.exports = { signCreateSession, credentialsFromAnswer };
