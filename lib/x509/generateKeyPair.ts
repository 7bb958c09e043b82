/** In-memory key pair generation with node:crypto; the private key never touches the disk. */
import { generateKeyPair as generate, type KeyObject } from "node:crypto";
import { toSigningKey, type SigningKey } from "./signingKey.js";

/** Every key kind the tool can generate; "ec-p256" is the default. */
export const KEY_KINDS = ["ec-p256", "ec-p384", "rsa-2048", "rsa-3072", "rsa-4096"] as const;

/** One of KEY_KINDS. */
export type KeyKind = (typeof KEY_KINDS)[number];

/** A fresh key pair: the private key as a node SigningKey (CSRs and SigV4-X509) and its public key. */
export interface GeneratedKeyPair {
  signingKey: SigningKey;
  publicKey: KeyObject;
  kind: KeyKind;
}

const PARAMS: Record<KeyKind, { curve: string } | { bits: number }> = {
  "ec-p256": { curve: "P-256" },
  "ec-p384": { curve: "P-384" },
  "rsa-2048": { bits: 2048 },
  "rsa-3072": { bits: 3072 },
  "rsa-4096": { bits: 4096 },
};

/** True when `value` names a KeyKind. */
export function isKeyKind(value: string): value is KeyKind {
  return (KEY_KINDS as readonly string[]).includes(value);
}

/**
 * Generates a key pair of `kind` (EC on the named curve, or RSA with public exponent 65537) off the main thread.
 * node:crypto's generateKeyPair is used rather than WebCrypto: it needs none of WebCrypto's modules at start-up.
 */
export async function generateKeyPair(kind: KeyKind): Promise<GeneratedKeyPair> {
  const params = Object.hasOwn(PARAMS, kind) ? PARAMS[kind] : undefined;
  if (!params) throw new TypeError(`unknown key kind "${String(kind)}"; expected one of ${KEY_KINDS.join(", ")}`);
  const { publicKey, privateKey } = await new Promise<{ publicKey: KeyObject; privateKey: KeyObject }>(
    (resolve, reject) => {
      const done = (err: Error | null, publicKey: KeyObject, privateKey: KeyObject) =>
        err ? reject(err) : resolve({ publicKey, privateKey });
      if ("curve" in params) generate("ec", { namedCurve: params.curve }, done);
      else generate("rsa", { modulusLength: params.bits, publicExponent: 0x10001 }, done);
    },
  );
  return { signingKey: toSigningKey(privateKey, `generated ${kind} key`), publicKey, kind };
}
