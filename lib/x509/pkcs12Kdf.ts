/** The PKCS#12 password-based key derivation (RFC 7292 Appendix B.2) and its BMPString password encoding. */
import { createHash } from "node:crypto";

/** What the derived bytes are for (RFC 7292 B.3): 1 = cipher key, 2 = IV, 3 = MAC key. */
export type Pkcs12KdfPurpose = 1 | 2 | 3;

const BLOCK_BYTES: Record<string, number> = { sha1: 64, sha224: 64, sha256: 64, sha384: 128, sha512: 128 };

/** The password as a big-endian BMPString with the two-zero-byte terminator ("" → 00 00), as RFC 7292 B.1 requires. */
export function bmpPassword(password: string): Buffer {
  const out = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) out.writeUInt16BE(password.charCodeAt(i), i * 2);
  return out;
}

/** Derives `length` bytes from a BMP-encoded password and salt with `hash` (sha1, sha256, …), RFC 7292 B.2. */
export function pkcs12Kdf(
  hash: string,
  password: Buffer,
  salt: Buffer,
  purpose: Pkcs12KdfPurpose,
  iterations: number,
  length: number,
): Buffer {
  const v = BLOCK_BYTES[hash];
  if (v === undefined) throw new Error(`no PKCS#12 KDF block size for hash ${hash}`);
  const u = createHash(hash).digest().length;
  const d = Buffer.alloc(v, purpose);
  const s = repeatTo(salt, v * Math.ceil(salt.length / v));
  const p = repeatTo(password, v * Math.ceil(password.length / v));
  const i = Buffer.concat([s, p]);
  const out: Buffer[] = [];
  for (let produced = 0; produced < length; produced += u) {
    let a = createHash(hash).update(d).update(i).digest();
    for (let r = 1; r < iterations; r++) a = createHash(hash).update(a).digest();
    out.push(a);
    if (produced + u >= length) break;
    // I_j = (I_j + B + 1) mod 2^(8v) for every v-byte block of I, where B is A repeated to v bytes.
    const b = repeatTo(a, v);
    for (let j = 0; j < i.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = i[j + k]! + b[k]! + carry;
        i[j + k] = sum & 0xff;
        carry = sum >>> 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, length);
}

function repeatTo(src: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let k = 0; k < length; k++) out[k] = src[k % src.length]!;
  return out;
}
