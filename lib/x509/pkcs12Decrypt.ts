/**
 * Decrypts PKCS#12 encrypted content with node-forge: PKCS#12 PBE (SHA-1 with 3-key 3DES or 40-bit RC2, RFC 7292
 * App. C) and PBES2 (PBKDF2 with AES-CBC or 3DES-CBC, RFC 8018). Other schemes are refused with a re-export hint.
 */
import { IamraError } from "../errors.js";
import { forge, forgePbe } from "./forgePbe.js";

/**
 * The password as PKCS#12 files use it: a string (its BMPString encoding ends in "00 00", RFC 7292 B.1), or null for
 * the empty password written as zero bytes, as some exporters do.
 */
export type Pkcs12Password = string | null;

/** Where the encrypted bytes came from, for error messages ("certificate bag", file path). */
export interface DecryptContext {
  what: string;
  source: string;
}

const PBES2 = "1.2.840.113549.1.5.13";

/** The command that writes a file this module reads (OpenSSL 3's default algorithms). */
export const PKCS12_REEXPORT = "openssl pkcs12 -export -keypbe AES-256-CBC -certpbe AES-256-CBC -macalg sha256";

/** Decrypts `data` encrypted with `alg`; PKCS12_UNSUPPORTED_ALGORITHM or PKCS12_DECRYPT_FAILED (no key material). */
export function decryptPkcs12(
  alg: { algorithm: string; parameters?: ArrayBuffer | null },
  data: Buffer,
  password: Pkcs12Password,
  ctx: DecryptContext,
): Buffer {
  // PBKDF2 takes the password's UTF-8 bytes; forge reads a string as one byte per character, so encode it first.
  const text = alg.algorithm === PBES2 ? Buffer.from(password ?? "", "utf8").toString("binary") : password;
  let cipher: ReturnType<typeof forgePbe.getCipher>;
  try {
    const params = forge.asn1.fromDer(Buffer.from(alg.parameters ?? new ArrayBuffer(0)).toString("binary"));
    cipher = forgePbe.getCipher(alg.algorithm, params, text);
  } catch (cause) {
    const isUnsupported = (cause as { supportedOids?: unknown }).supportedOids !== undefined;
    throw isUnsupported ? unsupported(alg.algorithm, ctx) : malformed(ctx, cause);
  }
  cipher.update(forge.util.createBuffer(data.toString("binary")));
  if (!cipher.finish()) {
    throw new IamraError({
      code: "PKCS12_DECRYPT_FAILED",
      message: `Could not decrypt the ${ctx.what} in ${ctx.source} (${alg.algorithm}).`,
      hint: "Check the password (--pkcs8-password-file or $IAMRA_PKCS8_PASSWORD; empty when none is given).",
      step: "load-pkcs12",
      details: { source: ctx.source, algorithm: alg.algorithm },
    });
  }
  return Buffer.from(cipher.output.getBytes(), "binary");
}

function malformed(ctx: DecryptContext, cause: unknown): IamraError {
  return new IamraError({
    code: "PKCS12_INVALID",
    message: `Malformed encryption parameters for the ${ctx.what} in ${ctx.source}.`,
    hint: "The PKCS#12 file is damaged; re-export it (or export the key and certificate as PEM).",
    step: "load-pkcs12",
    details: { source: ctx.source },
    cause,
  });
}

function unsupported(oid: string, ctx: DecryptContext): IamraError {
  const algorithm = forge.pki.oids[oid] ? `${forge.pki.oids[oid]}, ${oid}` : oid;
  return new IamraError({
    code: "PKCS12_UNSUPPORTED_ALGORITHM",
    message: `The ${ctx.what} in ${ctx.source} is encrypted with an unsupported algorithm (${algorithm}).`,
    hint:
      "Supported: PBES2 (PBKDF2 with AES-CBC or 3DES), PBE-SHA1-3DES and PBE-SHA1-RC2-40. Re-export with " +
      `\`${PKCS12_REEXPORT}\`, or use PEM files with --private-key.`,
    step: "load-pkcs12",
    details: { source: ctx.source, algorithm: oid },
  });
}
