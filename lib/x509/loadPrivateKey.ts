/** Loads a PEM private key (PKCS#8, encrypted PKCS#8, SEC1, PKCS#1) the way the official signing helper accepts it. */
import { createPrivateKey, type KeyObject } from "node:crypto";
import { IamraError } from "../errors.js";
import { readPemBlocks, type PemBlock } from "./readPemBlocks.js";
import { toSigningKey, type SigningKey } from "./signingKey.js";

export type { SigningKey } from "./signingKey.js";

/** Options for loadPrivateKey: `password` for encrypted keys, `source` (a file path) named in error messages. */
export interface LoadPrivateKeyOptions {
  password?: string;
  source?: string;
}

const DER_TYPE: Record<string, "pkcs8" | "sec1" | "pkcs1"> = {
  "PRIVATE KEY": "pkcs8",
  "EC PRIVATE KEY": "sec1",
  "RSA PRIVATE KEY": "pkcs1",
};

/** Parses the first private key block of a PEM file (other blocks, e.g. certificates in a combo file, are skipped). */
export function loadPrivateKey(pem: string | Buffer, opts: LoadPrivateKeyOptions = {}): SigningKey {
  const source = opts.source ?? "private key";
  const block = readPemBlocks(pem).find((b) => b.label.endsWith("PRIVATE KEY"));
  if (!block) {
    throw new IamraError({
      code: "PRIVATE_KEY_INVALID",
      message: `No PEM private key block found in ${source}.`,
      hint: 'Expected a PEM file with "PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY" or "ENCRYPTED PRIVATE KEY".',
      step: "load-key",
      details: { source },
    });
  }
  return toSigningKey(decodeBlock(block, source, opts.password), source);
}

function decodeBlock(block: PemBlock, source: string, password: string | undefined): KeyObject {
  const legacyEncrypted = (block.headers["Proc-Type"] ?? "").includes("ENCRYPTED");
  if (block.label === "ENCRYPTED PRIVATE KEY" || legacyEncrypted) {
    if (password === undefined || password === "") {
      throw new IamraError({
        code: "PRIVATE_KEY_PASSWORD_REQUIRED",
        message: `The private key in ${source} is encrypted and no password was given.`,
        hint: "Provide the key's password (from a file or the environment, never a flag), or use an unencrypted key.",
        step: "load-key",
        details: { source, label: block.label },
      });
    }
    try {
      return legacyEncrypted
        ? createPrivateKey({ key: block.text, format: "pem", passphrase: password })
        : createPrivateKey({ key: block.der, format: "der", type: "pkcs8", passphrase: password });
    } catch (cause) {
      throw new IamraError({
        code: "PRIVATE_KEY_DECRYPT_FAILED",
        message: `Could not decrypt the private key in ${source} (${codeOf(cause)}).`,
        hint: "Check the password; supported: PBES2 with PBKDF2 or scrypt and AES-CBC.",
        step: "load-key",
        details: { source, label: block.label },
        cause,
      });
    }
  }
  const type = DER_TYPE[block.label];
  if (!type) {
    throw new IamraError({
      code: "PRIVATE_KEY_UNSUPPORTED",
      message: `Unsupported private key block "${block.label}" in ${source}.`,
      hint: "Use an RSA or EC key in PKCS#8, SEC1 or PKCS#1 PEM form (openssl pkcs8 -topk8 -nocrypt converts most keys).",
      step: "load-key",
      details: { source, label: block.label },
    });
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: block.der, format: "der", type });
  } catch (cause) {
    throw new IamraError({
      code: "PRIVATE_KEY_INVALID",
      message: `Could not parse the "${block.label}" block in ${source} (${codeOf(cause)}).`,
      hint: "The file is damaged or not the kind of key its label says; regenerate or re-export the key.",
      step: "load-key",
      details: { source, label: block.label },
      cause,
    });
  }
  // OpenSSL 3.5 (Node 24) parses a PKCS#1 RSA body under an "EC PRIVATE KEY" label; older releases refuse it.
  const expected = LABEL_KEY_TYPE[block.label];
  if (expected && key.asymmetricKeyType !== expected) {
    throw new IamraError({
      code: "PRIVATE_KEY_INVALID",
      message: `The "${block.label}" block in ${source} holds a ${key.asymmetricKeyType ?? "different"} key.`,
      hint: "The file is damaged or not the kind of key its label says; regenerate or re-export the key.",
      step: "load-key",
      details: { source, label: block.label, keyType: key.asymmetricKeyType },
    });
  }
  return key;
}

/** Key types that a traditional (SEC1, PKCS#1) PEM label promises; PKCS#8 names its algorithm inside. */
const LABEL_KEY_TYPE: Record<string, string> = { "EC PRIVATE KEY": "ec", "RSA PRIVATE KEY": "rsa" };

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "parse error";
}
