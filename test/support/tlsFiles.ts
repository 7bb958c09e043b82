/** Test helper: a throwaway CA and serving certificates for 127.0.0.1, as PEM strings ready to write to files. */
import { createPrivateKey, webcrypto } from "node:crypto";
import { makeCertificate, type GeneratedCertificate } from "../../devstack/certificates/makeCertificate.js";

/** A serving certificate (leaf PEM), its PKCS#8 PEM key and its serial number (hex, upper case). */
export interface ServingPair {
  cert: string;
  key: string;
  serial: string;
}

/** A fresh CA that issues serving certificates for 127.0.0.1. */
export async function makeServingCa(): Promise<{ caPem: string; issue: () => Promise<ServingPair> }> {
  const ca = await makeCertificate({ subject: "CN=iamra-vault test CA", ca: true });
  return {
    caPem: ca.pem,
    issue: async () => pairOf(await makeCertificate({ subject: "CN=127.0.0.1", issuer: ca, ipSans: ["127.0.0.1"] })),
  };
}

async function pairOf(leaf: GeneratedCertificate): Promise<ServingPair> {
  const der = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", leaf.keys.privateKey));
  const key = createPrivateKey({ key: der, format: "der", type: "pkcs8" }).export({ type: "pkcs8", format: "pem" });
  return { cert: leaf.pem, key: String(key), serial: leaf.cert.serialNumber.toUpperCase() };
}
