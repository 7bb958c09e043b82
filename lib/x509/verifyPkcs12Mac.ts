/** Verifies a PKCS#12 file's MAC (HMAC keyed by the RFC 7292 B.2 derivation, ID 3) and settles the password form. */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { MacData } from "@peculiar/asn1-pfx";
import { IamraError } from "../errors.js";
import { forge, forgePbe } from "./forgePbe.js";
import { PKCS12_REEXPORT, type Pkcs12Password } from "./pkcs12Decrypt.js";

const DIGESTS: Record<string, "sha1" | "sha256" | "sha384" | "sha512"> = {
  "1.3.14.3.2.26": "sha1",
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};

/**
 * Checks the MAC over `authSafe` and returns the password form that verified it. For the empty password both "00 00"
 * (RFC 7292) and zero bytes (some exporters) are tried, as Go's x/crypto/pkcs12 does. Wrong password →
 * PKCS12_MAC_INVALID. A file without MAC (openssl -nomac) is accepted with the RFC form.
 */
export function verifyPkcs12Mac(
  macData: MacData | undefined,
  authSafe: Buffer,
  password: string,
  source: string,
): Pkcs12Password {
  const candidates: Pkcs12Password[] = password === "" ? ["", null] : [password];
  // The ASN.1 parser fills in an empty MacData when the file has none.
  const oid = macData?.mac?.digestAlgorithm?.algorithm;
  if (!macData || !oid) return candidates[0]!;
  const hash = DIGESTS[oid];
  if (!hash) {
    throw new IamraError({
      code: "PKCS12_UNSUPPORTED_ALGORITHM",
      message: `The PKCS#12 file ${source} uses an unsupported MAC algorithm (${oid}).`,
      hint: `Supported MACs: HMAC-SHA1/256/384/512. Re-export with \`${PKCS12_REEXPORT}\`, or use PEM files.`,
      step: "load-pkcs12",
      details: { source, algorithm: oid },
    });
  }
  const salt = Buffer.from(macData.macSalt.buffer).toString("binary");
  const expected = Buffer.from(macData.mac.digest.buffer);
  const iterations = macData.iterations ?? 1;
  for (const candidate of candidates) {
    const md = forge.md[hash].create();
    const saltBuffer = forge.util.createBuffer(salt);
    const key = forgePbe.generatePkcs12Key(candidate, saltBuffer, 3, iterations, md.digestLength, md);
    const actual = createHmac(hash, Buffer.from(key.getBytes(), "binary")).update(authSafe).digest();
    if (actual.length === expected.length && timingSafeEqual(actual, expected)) return candidate;
  }
  throw new IamraError({
    code: "PKCS12_MAC_INVALID",
    message:
      `The integrity check (HMAC-${hash.toUpperCase()}) of the PKCS#12 file ${source} failed: ` +
      "wrong password or a damaged file.",
    hint:
      password === ""
        ? "The file needs a password: put it in a file for --pkcs8-password-file or set $IAMRA_PKCS8_PASSWORD."
        : "Check the password in --pkcs8-password-file / $IAMRA_PKCS8_PASSWORD (a trailing newline is stripped).",
    step: "load-pkcs12",
    details: { source, mac: hash, iterations, passwordGiven: password !== "" },
  });
}
