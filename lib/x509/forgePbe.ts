/**
 * node-forge's password-based encryption (`forge.pki.pbe`) with only the forge modules it needs, so the PKCS#12 path
 * does not load the whole library (its index also loads TLS, SSH, ...), plus a typed view of `pbe`, which
 * @types/node-forge omits.
 */
import type nodeForge from "node-forge";
import forgeModule from "node-forge/lib/forge.js";
import "node-forge/lib/pbe.js";
import "node-forge/lib/sha1.js";
import "node-forge/lib/sha256.js";
import "node-forge/lib/sha512.js";

/** The forge object, with the parts loaded above: asn1, util, oids, md (SHA-1/256/384/512), ciphers, pbe. */
export const forge: typeof nodeForge = forgeModule;

/** The functions of `forge.pki.pbe` used to read PKCS#12 files. Strings are forge byte strings (one byte a char). */
export interface ForgePbe {
  /** A started decipher for a PBES2 or PKCS#12 PBE algorithm; throws with `supportedOids` when unsupported. */
  getCipher(oid: string, params: nodeForge.asn1.Asn1, password: string | null): nodeForge.cipher.BlockCipher;
  /**
   * RFC 7292 B.2 key derivation; the password is taken as BMPString with "00 00" at the end, or as zero bytes when
   * null.
   */
  generatePkcs12Key(
    password: string | null,
    salt: nodeForge.util.ByteStringBuffer,
    id: 1 | 2 | 3,
    iterations: number,
    length: number,
    md: nodeForge.md.MessageDigest,
  ): nodeForge.util.ByteStringBuffer;
}

/** True when `v` has the functions of ForgePbe (the guard that types `forge.pki.pbe`). */
function isForgePbe(v: unknown): v is ForgePbe {
  return (
    typeof v === "object" &&
    v !== null &&
    "getCipher" in v &&
    typeof v.getCipher === "function" &&
    "generatePkcs12Key" in v &&
    typeof v.generatePkcs12Key === "function"
  );
}

function loadForgePbe(): ForgePbe {
  const pki: object = forge.pki;
  const pbe = "pbe" in pki ? pki.pbe : undefined;
  if (!isForgePbe(pbe)) throw new Error("node-forge/lib/pbe.js did not define forge.pki.pbe"); // a broken install
  return pbe;
}

/** node-forge's `pki.pbe`. */
export const forgePbe: ForgePbe = loadForgePbe();
