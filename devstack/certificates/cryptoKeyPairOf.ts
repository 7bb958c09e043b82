import { webcrypto, type KeyObject } from "node:crypto";
import type { GeneratedKeyPair } from "../../lib/x509/generateKeyPair.js";

/** The WebCrypto form of a generated key pair (ECDSA, or RSASSA-PKCS1-v1_5 with SHA-256), for the certificate maker. */
export async function cryptoKeyPairOf(pair: GeneratedKeyPair): Promise<webcrypto.CryptoKeyPair> {
  const { signingKey } = pair;
  const algorithm =
    signingKey.type === "ec"
      ? { name: "ECDSA", namedCurve: signingKey.curve! }
      : { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  const der = (k: KeyObject, type: "pkcs8" | "spki") => k.export({ type, format: "der" });
  const [privateKey, publicKey] = await Promise.all([
    webcrypto.subtle.importKey("pkcs8", der(signingKey.keyObject, "pkcs8"), algorithm, true, ["sign"]),
    webcrypto.subtle.importKey("spki", der(pair.publicKey, "spki"), algorithm, true, ["verify"]),
  ]);
  return { privateKey, publicKey };
}
