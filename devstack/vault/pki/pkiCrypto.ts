import { createPrivateKey, createPublicKey, generateKeyPair, randomBytes, webcrypto } from "node:crypto";
import { promisify } from "node:util";
import { x509 } from "../../certificates/x509Library.js";

const generateKeyPairAsync = promisify(generateKeyPair);
const CURVES: Record<number, string> = { 224: "P-224", 256: "P-256", 384: "P-384", 521: "P-521" };
const EC_HASH: Record<string, string> = {
  "P-256": "SHA-256",
  "P-384": "SHA-384",
  "P-521": "SHA-512",
  "P-224": "SHA-256",
};

/** A key the PKI engine generated or holds, in WebCrypto form plus its PEM encodings. */
export interface PkiKey {
  id: string;
  type: "rsa" | "ec";
  bits: number;
  privateKey: webcrypto.CryptoKey;
  spki: Buffer;
  /** PKCS#1 ("RSA PRIVATE KEY") or SEC1 ("EC PRIVATE KEY"), as Vault returns by default. */
  privatePem: string;
  /** PKCS#8 ("PRIVATE KEY"), for private_key_format=pkcs8. */
  pkcs8Pem: string;
}

/** Resolves Vault's key_bits default: 0 → 2048 (rsa) or 256 (ec). */
export function resolveKeyBits(type: string, bits: number): number {
  if (bits) return bits;
  return type === "ec" ? 256 : type === "rsa" ? 2048 : 0;
}

/** Generates an RSA or EC key pair like Vault's `type=internal|exported` generation. */
export async function generatePkiKey(id: string, type: string, bits: number): Promise<PkiKey> {
  if (type !== "rsa" && type !== "ec") throw new Error(`unsupported key type: ${type}`);
  const resolved = resolveKeyBits(type, bits);
  const pair =
    type === "rsa"
      ? await generateKeyPairAsync("rsa", { modulusLength: resolved })
      : await generateKeyPairAsync("ec", { namedCurve: ecCurveNodeName(resolved) });
  return importPkiKey(id, pair.privateKey.export({ type: "pkcs8", format: "pem" }) as string);
}

function ecCurveNodeName(bits: number): string {
  const map: Record<number, string> = { 224: "secp224r1", 256: "prime256v1", 384: "secp384r1", 521: "secp521r1" };
  const name = map[bits];
  if (!name) throw new Error(`unsupported EC key size: ${bits}`);
  return name;
}

/** Loads a PKCS#8 PEM key into the PKI engine's key form. */
async function importPkiKey(id: string, pkcs8Pem: string): Promise<PkiKey> {
  const keyObject = createPrivateKey(pkcs8Pem);
  const details = keyObject.asymmetricKeyDetails ?? {};
  const type = keyObject.asymmetricKeyType === "rsa" ? "rsa" : "ec";
  const curve = type === "ec" ? nodeCurveToWeb(String(details.namedCurve)) : undefined;
  const bits = type === "rsa" ? Number(details.modulusLength) : Number(curve!.slice(2));
  const algorithm =
    type === "rsa" ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } : { name: "ECDSA", namedCurve: curve! };
  const der = keyObject.export({ type: "pkcs8", format: "der" });
  const privateKey = await webcrypto.subtle.importKey("pkcs8", der, algorithm, true, ["sign"]);
  return {
    id,
    type,
    bits,
    privateKey,
    spki: createPublicKey(keyObject).export({ type: "spki", format: "der" }),
    privatePem: (keyObject.export({ type: type === "rsa" ? "pkcs1" : "sec1", format: "pem" }) as string).trim(),
    pkcs8Pem: pkcs8Pem.trim(),
  };
}

function nodeCurveToWeb(name: string): string {
  const map: Record<string, string> = {
    prime256v1: "P-256",
    secp384r1: "P-384",
    secp521r1: "P-521",
    secp224r1: "P-224",
  };
  const web = map[name];
  if (!web) throw new Error(`unsupported EC curve: ${name}`);
  return web;
}

/** The public half of a PKI key as a WebCrypto key (for CSR generation). */
export async function publicCryptoKey(key: PkiKey): Promise<webcrypto.CryptoKey> {
  const algorithm =
    key.type === "rsa"
      ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }
      : { name: "ECDSA", namedCurve: CURVES[key.bits]! };
  return webcrypto.subtle.importKey("spki", key.spki, algorithm, true, ["verify"]);
}

/** The signature algorithm Vault uses for a signing key (SHA-256 for RSA; curve-matched hash for ECDSA). */
export function signingAlgorithmFor(key: PkiKey): webcrypto.Algorithm | webcrypto.EcdsaParams {
  if (key.type === "rsa") return { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as webcrypto.Algorithm;
  return { name: "ECDSA", hash: EC_HASH[CURVES[key.bits]!] ?? "SHA-256" } as webcrypto.EcdsaParams;
}

/** Type and size of a public key given as SPKI DER (rsa: modulus bits; ec: curve bits). */
export function publicKeyDetails(spki: ArrayBuffer | Buffer): { type: string; bits: number } {
  const key = createPublicKey({ key: Buffer.from(spki as ArrayBuffer), format: "der", type: "spki" });
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === "rsa") return { type: "rsa", bits: Number(d.modulusLength) };
  if (key.asymmetricKeyType === "ec")
    return { type: "ec", bits: Number(nodeCurveToWeb(String(d.namedCurve)).slice(2)) };
  return { type: String(key.asymmetricKeyType), bits: 0 };
}

/** A positive random 20-byte serial as hex (what Vault's certutil.GenerateSerialNumber gives, 159 bits). */
export function randomSerialHex(): string {
  const bytes = randomBytes(20);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString("hex");
}

/** Vault's serial format: lowercase hex bytes joined by colons. */
export function colonHex(hex: string): string {
  const even = hex.length % 2 ? `0${hex}` : hex;
  return even.toLowerCase().match(/../g)!.join(":");
}

/** A certificate as TrimSpace'd PEM, the way every Vault PKI response carries it. */
export function certPem(cert: { toString(format: "pem"): string }): string {
  return cert.toString("pem").replace(/\r\n/g, "\n").trim();
}

export { x509 };
