import { createHash } from "node:crypto";

/** Headers never signed, as in the official helper (signer.go ignoredHeaderKeys). */
const UNSIGNED_HEADERS = new Set(["authorization", "user-agent", "x-amzn-trace-id"]);

/** Percent-encodes a query key or value: RFC 3986 unreserved characters kept, everything else %XX (space is %20). */
export function encodeQueryComponent(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The canonical query string: keys sorted byte-wise, `key=value` pairs joined by `&`. */
export function canonicalQueryString(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .sort()
    .map((k) => `${encodeQueryComponent(k)}=${encodeQueryComponent(params[k]!)}`)
    .join("&");
}

/** Lower-cased, sorted header names and their trimmed, space-collapsed values, minus the never-signed headers. */
export function canonicalHeaders(headers: Readonly<Record<string, string>>): { block: string; signedHeaders: string } {
  const entries = new Map<string, string[]>();
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (UNSIGNED_HEADERS.has(lower)) continue;
    const list = entries.get(lower) ?? [];
    const trimmed = value.trim();
    // the regular expression only where it has work to do: certificate headers are a few KB without spaces
    list.push(trimmed.includes("  ") ? trimmed.replace(/ +/g, " ") : trimmed);
    entries.set(lower, list);
  }
  const names = [...entries.keys()].sort();
  return {
    block: names.map((n) => `${n}:${entries.get(n)!.join(",")}\n`).join(""),
    signedHeaders: names.join(";"),
  };
}

/** Lower-case hex SHA-256 of the payload bytes. */
export function payloadHash(body: string | Buffer): string {
  return createHash("sha256").update(body).digest("hex");
}

/** Inputs of a SigV4 canonical request. */
export interface CanonicalRequestInput {
  method: string;
  /** Canonical URI; Roles Anywhere signs "/sessions" whatever path prefix the endpoint has. */
  canonicalUri: string;
  query: Readonly<Record<string, string>>;
  /** Headers to sign (name → value), as sent. */
  headers: Readonly<Record<string, string>>;
  body: string | Buffer;
}

/** Builds the SigV4 canonical request (AWS SigV4 spec; the Roles Anywhere variant of signer.go). */
export function buildCanonicalRequest(input: CanonicalRequestInput): {
  canonicalRequest: string;
  signedHeaders: string;
} {
  const { block, signedHeaders } = canonicalHeaders(input.headers);
  const canonicalRequest = [
    input.method.toUpperCase(),
    input.canonicalUri,
    canonicalQueryString(input.query),
    block,
    signedHeaders,
    payloadHash(input.body),
  ].join("\n");
  return { canonicalRequest, signedHeaders };
}
