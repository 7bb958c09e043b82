/** Splits PEM text (RFC 7468, with RFC 1421 headers tolerated) into labelled DER blocks, in file order. */

/** One PEM block: its label (e.g. "CERTIFICATE"), its RFC 1421 headers (e.g. Proc-Type) and its decoded bytes. */
export interface PemBlock {
  label: string;
  headers: Record<string, string>;
  /** Decoded body; empty when the body is not valid base64 (callers then report the block as invalid). */
  der: Buffer;
  /** The block exactly as it appeared, BEGIN to END line. */
  text: string;
}

// spaces or tabs may follow the BEGIN line's dashes, as Go's pem.Decode and OpenSSL accept
const BLOCK = /-----BEGIN ([A-Z0-9][A-Z0-9 #]*)-----[ \t]*\r?\n([\s\S]*?)-----END \1-----/g;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Every well-formed PEM block in `input`, in order; text between blocks is ignored, as Go's pem.Decode does. */
export function readPemBlocks(input: string | Buffer): PemBlock[] {
  const text = typeof input === "string" ? input : input.toString("latin1");
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const label = m[1]!;
    const lines = m[2]!.split(/\r?\n/);
    const headers: Record<string, string> = {};
    // RFC 1421 headers ("Proc-Type: 4,ENCRYPTED") come first and end with a blank line.
    if (lines.length > 0 && lines[0]!.includes(":")) {
      while (lines.length > 0 && lines[0]!.trim() !== "") {
        const line = lines.shift()!;
        const colon = line.indexOf(":");
        if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
      }
    }
    const body = lines.join("").replace(/\s+/g, "");
    const der = BASE64.test(body) && body.length % 4 === 0 ? Buffer.from(body, "base64") : Buffer.alloc(0);
    blocks.push({ label, headers, der, text: m[0] });
  }
  return blocks;
}

/** True when `input` contains at least one PEM BEGIN line (used to tell PEM from DER/PKCS#12 input). */
export function looksLikePem(input: string | Buffer): boolean {
  const text = typeof input === "string" ? input : input.toString("latin1");
  return text.includes("-----BEGIN ");
}
