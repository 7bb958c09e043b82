import { sign as cryptoSign, type KeyObject } from "node:crypto";
import { buildCanonicalRequest } from "./canonicalRequest.js";
import { algorithmForKeyType, buildStringToSign, credentialScope, formatAmzDate } from "./stringToSign.js";
import { formatAuthorization } from "./authorizationHeader.js";

/** Everything the SigV4-X509 signer needs; time is passed in, nothing is read from the environment. */
export interface SignRequestInput {
  key: { keyObject: KeyObject; type: "rsa" | "ec" };
  /** DER of the leaf certificate. */
  certificateDer: Buffer;
  /** Leaf serial number in decimal. */
  serialDecimal: string;
  /** DER of each intermediate, leaf's issuer first; empty for none. */
  chainDer: readonly Buffer[];
  region: string;
  nowMs: number;
  /** Host header value, with :port when the endpoint has one. */
  host: string;
  query: Readonly<Record<string, string>>;
  body: string;
  /** Other headers to send and sign (e.g. content-type, amz-sdk-invocation-id). */
  headers: Readonly<Record<string, string>>;
  method?: string;
  /** Always "/sessions" for CreateSession, whatever the endpoint's path prefix. */
  canonicalUri?: string;
}

/**
 * The signed request: headers to send (Authorization included) and the intermediate strings, for debugging and tests.
 */
export interface SignedRequest {
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
  authorization: string;
}

/**
 * Signs a Roles Anywhere request with SigV4-X509, as the official helper's signer.go does:
 * RSA → PKCS#1 v1.5 over SHA-256; ECDSA (any curve) → DER-encoded signature over SHA-256.
 */
export function signRequest(input: SignRequestInput): SignedRequest {
  const amzDate = formatAmzDate(input.nowMs);
  const algorithm = algorithmForKeyType(input.key.type);
  const headers: Record<string, string> = {
    ...input.headers,
    host: input.host,
    "x-amz-date": amzDate,
    "x-amz-x509": input.certificateDer.toString("base64"),
  };
  if (input.chainDer.length > 0) {
    headers["x-amz-x509-chain"] = input.chainDer.map((der) => der.toString("base64")).join(",");
  }
  const { canonicalRequest, signedHeaders } = buildCanonicalRequest({
    method: input.method ?? "POST",
    canonicalUri: input.canonicalUri ?? "/sessions",
    query: input.query,
    headers,
    body: input.body,
  });
  const stringToSign = buildStringToSign(algorithm, amzDate, input.region, canonicalRequest);
  const signature = cryptoSign("sha256", Buffer.from(stringToSign, "utf8"), {
    key: input.key.keyObject,
    dsaEncoding: "der",
  }).toString("hex");
  const authorization = formatAuthorization(
    algorithm,
    input.serialDecimal,
    credentialScope(amzDate, input.region),
    signedHeaders,
    signature,
  );
  return { headers: { ...headers, authorization }, canonicalRequest, stringToSign, authorization };
}
