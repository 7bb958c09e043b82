/** In-memory key pair generation with WebCrypto; the private key never touches the disk (DESIGN decision 1). */
import { KeyObject, webcrypto } from "node:crypto";
import { toSigningKey, type SigningKey } from "./signingKey.js";

/** Every key kind the tool can generate; "ec-p256" is the default. */
export const KEY_KINDS = ["ec-p256", "ec-p384", "rsa-2048", "rsa-3072", "rsa-4096"] as const;

/** One of KEY_KINDS. */
export type KeyKind = (typeof KEY_KINDS)[number];

/** A fresh key pair: the WebCrypto pair and the same private key as a node SigningKey (CSRs and SigV4-X509). */
export interface GeneratedKeyPair {
  cryptoKeyPair: webcrypto.CryptoKeyPair;
  signingKey: SigningKey;
  kind: KeyKind;
}

const PARAMS: Record<KeyKind, webcrypto.EcKeyGenParams | webcrypto.RsaHashedKeyGenParams> = {
  "ec-p256": { name: "ECDSA", namedCurve: "P-256" },
  "ec-p384": { name: "ECDSA", namedCurve: "P-384" },
  "rsa-2048": rsa(2048),
  "rsa-3072": rsa(3072),
  "rsa-4096": rsa(4096),
};

function rsa(modulusLength: number): webcrypto.RsaHashedKeyGenParams {
  return { name: "RSASSA-PKCS1-v1_5", modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" };
}

/** True when `value` names a KeyKind. */
export function isKeyKind(value: string): value is KeyKind {
  return (KEY_KINDS as readonly string[]).includes(value);
}

/** Generates a key pair of `kind` (ECDSA for EC, RSASSA-PKCS1-v1_5/SHA-256 for RSA, public exponent 65537). */
export async function generateKeyPair(kind: KeyKind): Promise<GeneratedKeyPair> {
  const params = PARAMS[kind];
  if (!params) throw new TypeError(`unknown key kind "${String(kind)}"; expected one of ${KEY_KINDS.join(", ")}`);
  // Extractable so that KeyObject.from() can hand the same key to node:crypto's signer; it stays in memory.
  const cryptoKeyPair = (await webcrypto.subtle.generateKey(params, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const signingKey = toSigningKey(KeyObject.from(cryptoKeyPair.privateKey), `generated ${kind} key`);
  return { cryptoKeyPair, signingKey, kind };
}
