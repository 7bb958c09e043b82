/** Verifies a SigV4-X509 request (Roles Anywhere CreateSession) from the bytes received, as the real service does. */
import { verify as cryptoVerify, X509Certificate } from "node:crypto";
import { parseAuthorization } from "../../lib/rolesanywhere/authorizationHeader.js";
import { buildCanonicalRequest } from "../../lib/rolesanywhere/canonicalRequest.js";
import { serialToDecimal } from "../../lib/x509/parseCertificates.js";
import { buildStringToSign, ROLES_ANYWHERE_SERVICE } from "../../lib/rolesanywhere/stringToSign.js";
import { headerMap } from "../aws/headerMap.js";
import { MAX_SKEW_MS, parseAmzDate } from "../aws/parseAmzDate.js";
import { accessDenied } from "./rolesAnywhereApiError.js";

/** The request as received: method, raw query string (after "?"), raw header pairs, body bytes. */
export interface ReceivedRequest {
  method: string;
  rawQuery: string;
  /** Node's req.rawHeaders: name, value, name, value, … */
  rawHeaders: readonly string[];
  body: Buffer;
}

/** What a valid signature proves: the leaf certificate (and the intermediates sent) signed this request. */
export interface VerifiedX509Request {
  leaf: X509Certificate;
  intermediates: X509Certificate[];
  serialDecimal: string;
  amzDate: string;
}

const REQUIRED_SIGNED = ["host", "x-amz-date", "x-amz-x509"];

function parseCertificate(b64: string, what: string): X509Certificate {
  const der = Buffer.from(b64.trim(), "base64");
  try {
    return new X509Certificate(der);
  } catch {
    throw accessDenied(`Unable to parse the ${what} certificate`);
  }
}

/** The query string as a record; a key repeated makes the request ambiguous and is refused. */
function queryRecord(rawQuery: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rawQuery)) {
    if (k in out) throw accessDenied(`Signature validation failed: query parameter "${k}" is repeated`);
    out[k] = v;
  }
  return out;
}

/** Checks Authorization, date, scope, signed headers, serial and the signature itself; throws AccessDeniedException. */
export function verifyX509Signature(
  req: ReceivedRequest,
  opts: { region: string; nowMs: number },
): VerifiedX509Request {
  const headers = headerMap(req.rawHeaders);
  const authHeader = headers.get("authorization");
  if (!authHeader) throw accessDenied("Missing Authorization header");
  const auth = parseAuthorization(authHeader);
  if (!auth) throw accessDenied("Authorization header is not a valid AWS4-X509 signature");
  if (auth.service !== ROLES_ANYWHERE_SERVICE)
    throw accessDenied(`Credential should be scoped to correct service: '${ROLES_ANYWHERE_SERVICE}'`);
  if (auth.terminator !== "aws4_request")
    throw accessDenied("Credential should be scoped with a valid terminator: 'aws4_request'");
  if (auth.region !== opts.region)
    throw accessDenied(`Credential should be scoped to a valid region, not '${auth.region}'`);

  const amzDate = headers.get("x-amz-date");
  const dateMs = amzDate === undefined ? undefined : parseAmzDate(amzDate);
  if (amzDate === undefined || dateMs === undefined) throw accessDenied("Missing or malformed X-Amz-Date header");
  if (auth.date !== amzDate.slice(0, 8)) throw accessDenied("Credential scope date does not match X-Amz-Date");
  if (Math.abs(opts.nowMs - dateMs) > MAX_SKEW_MS) {
    throw accessDenied(
      `Signature expired: ${amzDate} is outside 5 minutes of the server time ${new Date(opts.nowMs).toISOString()}`,
    );
  }

  const chainHeader = headers.get("x-amz-x509-chain");
  const mustSign = chainHeader === undefined ? REQUIRED_SIGNED : [...REQUIRED_SIGNED, "x-amz-x509-chain"];
  for (const name of mustSign) {
    if (!auth.signedHeaders.includes(name))
      throw accessDenied(`Signature validation failed: header '${name}' must be signed`);
  }
  const signed: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = headers.get(name);
    if (value === undefined) throw accessDenied(`Signature validation failed: signed header '${name}' is missing`);
    signed[name] = value;
  }

  const leaf = parseCertificate(headers.get("x-amz-x509") ?? "", "X-Amz-X509");
  const intermediates =
    chainHeader === undefined
      ? []
      : chainHeader.split(",").map((b64, i) => parseCertificate(b64, `X-Amz-X509-Chain #${i + 1}`));
  const keyType = leaf.publicKey.asymmetricKeyType;
  const expectedAlg =
    keyType === "rsa" ? "AWS4-X509-RSA-SHA256" : keyType === "ec" ? "AWS4-X509-ECDSA-SHA256" : undefined;
  if (auth.algorithm !== expectedAlg) {
    throw accessDenied(
      `Signing algorithm ${auth.algorithm} does not match the certificate's ${keyType ?? "unknown"} key`,
    );
  }
  const serialDecimal = serialToDecimal(leaf);
  if (auth.serial !== serialDecimal)
    throw accessDenied("Invalid credential: serial number does not match the X-Amz-X509 certificate");

  const { canonicalRequest, signedHeaders } = buildCanonicalRequest({
    method: req.method,
    canonicalUri: "/sessions",
    query: queryRecord(req.rawQuery),
    headers: signed,
    body: req.body,
  });
  if (signedHeaders !== auth.signedHeaders.join(";")) {
    throw accessDenied(
      "Signature validation failed: SignedHeaders must be lower-case, sorted, and may not list authorization or user-agent",
    );
  }
  const stringToSign = buildStringToSign(auth.algorithm, amzDate, opts.region, canonicalRequest);
  let ok: boolean;
  try {
    ok = cryptoVerify(
      "sha256",
      Buffer.from(stringToSign, "utf8"),
      { key: leaf.publicKey, dsaEncoding: "der" },
      Buffer.from(auth.signature, "hex"),
    );
  } catch {
    ok = false; // a malformed signature (e.g. bad ECDSA DER) is simply not a valid one
  }
  if (!ok) throw accessDenied("Signature validation failed");
  return { leaf, intermediates, serialDecimal, amzDate };
}
