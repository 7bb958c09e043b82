/** The private key model shared by the signer and the CSR code: a node KeyObject plus its algorithm facts. */
import type { KeyObject } from "node:crypto";
import { IamraError } from "../errors.js";

/** A private key the SigV4-X509 signer accepts: RSA (any size) or ECDSA on P-256/P-384/P-521. */
export interface SigningKey {
  keyObject: KeyObject;
  type: "rsa" | "ec";
  curve?: "P-256" | "P-384" | "P-521";
  /** RSA modulus size in bits (RSA keys only). */
  bits?: number;
}

const CURVES: Record<string, SigningKey["curve"]> = {
  prime256v1: "P-256",
  "P-256": "P-256",
  secp384r1: "P-384",
  "P-384": "P-384",
  secp521r1: "P-521",
  "P-521": "P-521",
};

/**
 * Wraps a private KeyObject as a SigningKey; other key types (ed25519, DSA, RSA-PSS, other curves) →
 * PRIVATE_KEY_UNSUPPORTED.
 */
export function toSigningKey(keyObject: KeyObject, source = "private key"): SigningKey {
  const unsupported = (what: string) =>
    new IamraError({
      code: "PRIVATE_KEY_UNSUPPORTED",
      message: `Unsupported private key type ${what} in ${source}.`,
      hint: "IAM Roles Anywhere signs with RSA (PKCS#1 v1.5) or ECDSA (P-256, P-384, P-521) keys; use one of those.",
      step: "load-key",
      details: { source, keyType: what },
    });
  if (keyObject.type !== "private") throw unsupported(`"${keyObject.type}" (not a private key)`);
  const kind = keyObject.asymmetricKeyType;
  if (kind === "rsa") {
    return { keyObject, type: "rsa", bits: keyObject.asymmetricKeyDetails?.modulusLength };
  }
  if (kind === "ec") {
    const named = keyObject.asymmetricKeyDetails?.namedCurve ?? "unknown";
    const curve = CURVES[named];
    if (!curve) throw unsupported(`"ec" on curve ${named}`);
    return { keyObject, type: "ec", curve };
  }
  throw unsupported(`"${kind ?? "unknown"}"`);
}
