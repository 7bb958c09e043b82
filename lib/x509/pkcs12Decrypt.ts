/** Decrypts PKCS#12 encrypted content: PKCS#12 PBE (SHA-1 with 3DES or RC2, RFC 7292 App. C) and PBES2 (PBKDF2 + AES/3DES-CBC). */
import { createDecipheriv, pbkdf2Sync } from "node:crypto";
import { AsnParser, OctetString } from "@peculiar/asn1-schema";
import { IamraError } from "../errors.js";
import { pkcs12Kdf } from "./pkcs12Kdf.js";
import { rc2CbcDecrypt } from "./rc2CbcDecrypt.js";
import { PbeParameter, Pbes2Params, Pbkdf2Params } from "./pkcs12Schemas.js";

/** A password in both encodings PKCS#12 uses: BMPString for the PKCS#12 KDF, raw UTF-8 bytes for PBES2. */
export interface Pkcs12Password {
  bmp: Buffer;
  utf8: Buffer;
}

/** Where the encrypted bytes came from, for error messages ("certificate bag", file path). */
export interface DecryptContext {
  what: string;
  source: string;
}

const PBE = "1.2.840.113549.1.12.1.";
const PKCS12_PBE: Record<string, { name: string; key: number; cipher: string; rc2Bits?: number }> = {
  [`${PBE}3`]: { name: "pbeWithSHAAnd3-KeyTripleDES-CBC", key: 24, cipher: "des-ede3-cbc" },
  [`${PBE}4`]: { name: "pbeWithSHAAnd2-KeyTripleDES-CBC", key: 16, cipher: "des-ede-cbc" },
  [`${PBE}5`]: { name: "pbeWithSHAAnd128BitRC2-CBC", key: 16, cipher: "rc2", rc2Bits: 128 },
  [`${PBE}6`]: { name: "pbeWithSHAAnd40BitRC2-CBC", key: 5, cipher: "rc2", rc2Bits: 40 },
};
const PBES2 = "1.2.840.113549.1.5.13";
const PBKDF2 = "1.2.840.113549.1.5.12";
const PRF: Record<string, string> = {
  "1.2.840.113549.2.7": "sha1",
  "1.2.840.113549.2.8": "sha224",
  "1.2.840.113549.2.9": "sha256",
  "1.2.840.113549.2.10": "sha384",
  "1.2.840.113549.2.11": "sha512",
};
const PBES2_CIPHER: Record<string, { cipher: string; key: number }> = {
  "2.16.840.1.101.3.4.1.2": { cipher: "aes-128-cbc", key: 16 },
  "2.16.840.1.101.3.4.1.22": { cipher: "aes-192-cbc", key: 24 },
  "2.16.840.1.101.3.4.1.42": { cipher: "aes-256-cbc", key: 32 },
  "1.2.840.113549.3.7": { cipher: "des-ede3-cbc", key: 24 },
};

/** Decrypts `data` encrypted with `alg`; PKCS12_UNSUPPORTED_ALGORITHM or PKCS12_DECRYPT_FAILED (never with key material). */
export function decryptPkcs12(alg: { algorithm: string; parameters?: ArrayBuffer | null }, data: Buffer, password: Pkcs12Password, ctx: DecryptContext): Buffer {
  const pbe = PKCS12_PBE[alg.algorithm];
  if (pbe) {
    const params = parse(alg.parameters, PbeParameter, ctx);
    const salt = Buffer.from(params.salt);
    const key = pkcs12Kdf("sha1", password.bmp, salt, 1, params.iterations, pbe.key);
    const iv = pkcs12Kdf("sha1", password.bmp, salt, 2, params.iterations, 8);
    return attempt(ctx, pbe.name, () =>
      pbe.rc2Bits ? rc2CbcDecrypt(key, pbe.rc2Bits, iv, data) : cbcDecrypt(pbe.cipher, key, iv, data),
    );
  }
  if (alg.algorithm === PBES2) {
    const params = parse(alg.parameters, Pbes2Params, ctx);
    const kdf = params.keyDerivationFunc;
    if (kdf.algorithm !== PBKDF2) throw unsupported(`PBES2 with key derivation ${kdf.algorithm}`, ctx);
    const p = parse(kdf.parameters, Pbkdf2Params, ctx);
    const hash = PRF[p.prf?.algorithm ?? "1.2.840.113549.2.7"];
    const enc = PBES2_CIPHER[params.encryptionScheme.algorithm];
    if (!hash) throw unsupported(`PBKDF2 with PRF ${p.prf?.algorithm}`, ctx);
    if (!enc) throw unsupported(`PBES2 with cipher ${params.encryptionScheme.algorithm}`, ctx);
    const iv = Buffer.from(parse(params.encryptionScheme.parameters, OctetString, ctx).buffer);
    const key = pbkdf2Sync(password.utf8, Buffer.from(p.salt), p.iterationCount, p.keyLength ?? enc.key, hash);
    return attempt(ctx, `PBES2 (PBKDF2-${hash}, ${enc.cipher})`, () => cbcDecrypt(enc.cipher, key, iv, data));
  }
  throw unsupported(alg.algorithm, ctx);
}

function parse<T>(der: ArrayBuffer | null | undefined, type: new () => T, ctx: DecryptContext): T {
  try {
    if (!der) throw new Error("parameters missing");
    return AsnParser.parse(der, type);
  } catch (cause) {
    throw new IamraError({
      code: "PKCS12_INVALID",
      message: `Malformed encryption parameters for the ${ctx.what} in ${ctx.source}.`,
      hint: "The PKCS#12 file is damaged; re-export it (or export the key and certificate as PEM).",
      step: "load-pkcs12",
      details: { source: ctx.source },
      cause,
    });
  }
}

function cbcDecrypt(cipher: string, key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const d = createDecipheriv(cipher, key, iv);
  return Buffer.concat([d.update(data), d.final()]);
}

function attempt(ctx: DecryptContext, algorithm: string, fn: () => Buffer): Buffer {
  try {
    return fn();
  } catch (cause) {
    throw new IamraError({
      code: "PKCS12_DECRYPT_FAILED",
      message: `Could not decrypt the ${ctx.what} in ${ctx.source} (${algorithm}).`,
      hint: "Check the password (--pkcs8-password-file or $IAMRA_PKCS8_PASSWORD; empty when none is given).",
      step: "load-pkcs12",
      details: { source: ctx.source, algorithm },
      cause,
    });
  }
}

function unsupported(algorithm: string, ctx: DecryptContext): IamraError {
  return new IamraError({
    code: "PKCS12_UNSUPPORTED_ALGORITHM",
    message: `The ${ctx.what} in ${ctx.source} is encrypted with an unsupported algorithm (${algorithm}).`,
    hint:
      "Supported: PBE-SHA1-3DES, PBE-SHA1-RC2-40/128 and PBES2 (PBKDF2 + AES-CBC). Re-export with " +
      "`openssl pkcs12 -export -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES`, or use PEM files with --private-key.",
    step: "load-pkcs12",
    details: { source: ctx.source, algorithm },
  });
}
