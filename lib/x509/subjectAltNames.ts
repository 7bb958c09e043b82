import type { X509Certificate } from "node:crypto";

const ENTRY = /(?:^|, )([A-Za-z ]+):("(?:[^"\\]|\\.)*"|[^,]*)/g;

/**
 * URI and DNS subjectAltNames of a certificate, read from node's `subjectAltName` text (values that contain special
 * characters are JSON-quoted there since Node 17.3). Avoids loading an ASN.1 library on the credential-process path.
 */
export function subjectAltNames(cert: X509Certificate): { uris: string[]; dns: string[] } {
  const uris: string[] = [];
  const dns: string[] = [];
  const text = cert.subjectAltName ?? "";
  for (const m of text.matchAll(ENTRY)) {
    const value = m[2]!.startsWith('"') ? (JSON.parse(m[2]!) as string) : m[2]!;
    if (m[1] === "URI") uris.push(value);
    else if (m[1] === "DNS") dns.push(value);
  }
  return { uris, dns };
}
