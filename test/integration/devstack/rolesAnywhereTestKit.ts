/**
 * Test kit for the Roles Anywhere stand-in: test PKIs per key kind, signed CreateSession requests, raw HTTP sending.
 */
import { request } from "node:http";
import { generateKeyPair, type KeyKind } from "../../../lib/x509/generateKeyPair.js";
import type { SigningKey } from "../../../lib/x509/signingKey.js";
import { serialToDecimal } from "../../../lib/x509/parseCertificates.js";
import { signRequest } from "../../../lib/rolesanywhere/signRequest.js";
import { canonicalQueryString } from "../../../lib/rolesanywhere/canonicalRequest.js";
import {
  makeCertificate,
  type GeneratedCertificate,
  type CertificateOptions,
} from "../../../devstack/certificates/makeCertificate.js";
import { cryptoKeyPairOf } from "../../../devstack/certificates/cryptoKeyPairOf.js";

/** A leaf certificate with its signing key and the intermediates to send. */
export interface TestIdentity {
  kind: KeyKind;
  leaf: GeneratedCertificate;
  key: SigningKey;
  chain: GeneratedCertificate[];
}

/** Issues a leaf of `kind` under `issuer`, sending `chain` as intermediates. */
export async function makeIdentity(
  kind: KeyKind,
  issuer: GeneratedCertificate,
  chain: GeneratedCertificate[],
  leaf: Partial<CertificateOptions> = {},
): Promise<TestIdentity> {
  const pair = await generateKeyPair(kind);
  const cert = await makeCertificate({
    subject: "CN=app-leaf, O=Example Corp, OU=Payments, C=US",
    uriSans: ["spiffe://cluster.local/ns/payments/sa/app"],
    dnsSans: ["app.payments.svc"],
    ...leaf,
    issuer,
    keys: await cryptoKeyPairOf(pair),
  });
  return { kind, leaf: cert, key: pair.signingKey, chain };
}

/** The three ARNs of a CreateSession. */
export interface SessionArns {
  trustAnchorArn: string;
  profileArn: string;
  roleArn: string;
}

/** A CreateSession request ready to send: path with query, headers (Authorization included), body. */
export interface BuiltRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Signs a CreateSession exactly as the official helper lays it out (ARNs in the query, JSON body, SDK headers). */
export function buildCreateSession(
  id: TestIdentity,
  o: { url: string; arns: SessionArns; nowMs: number; region?: string; body?: object; arnsInBody?: boolean },
): BuiltRequest {
  const query: Record<string, string> = o.arnsInBody ? {} : { ...o.arns };
  const body = JSON.stringify({ durationSeconds: 3600, ...(o.arnsInBody ? o.arns : {}), ...(o.body ?? {}) });
  const signed = signRequest({
    key: id.key,
    certificateDer: id.leaf.cert.raw,
    serialDecimal: serialToDecimal(id.leaf.cert),
    chainDer: id.chain.map((c) => c.cert.raw),
    region: o.region ?? "us-east-1",
    nowMs: o.nowMs,
    host: new URL(o.url).host,
    query,
    body,
    headers: {
      "content-type": "application/json",
      "amz-sdk-invocation-id": "5f0c1a8e-3c1f-4d55-9d1a-6a8f2f3c9b10",
      "amz-sdk-request": "attempt=1; max=3",
    },
  });
  const qs = canonicalQueryString(query);
  return { path: `/sessions${qs ? `?${qs}` : ""}`, headers: signed.headers, body };
}

/** The answer to a raw request. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/** Sends exactly these headers and body (node:http, so Host and every byte are the test's). */
export function sendRaw(baseUrl: string, req: BuiltRequest, method = "POST"): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const r = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: req.path,
        headers: { ...req.headers, "content-length": Buffer.byteLength(req.body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    r.on("error", reject);
    r.end(req.body);
  });
}
