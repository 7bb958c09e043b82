/**
 * Test kit for loadPkcs12: the reference PKI fixtures, and PKCS#12 files written by `openssl pkcs12 -export` in a
 * temp dir (an RSA identity from the fixtures with its CA, or a fresh EC P-256 self-signed one).
 */
import { execFile } from "node:child_process";
import { createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
/** The shared Roles Anywhere reference fixtures (read-only). */
export const FIXTURES = fileURLToPath(new URL("../../../fixtures/roles-anywhere/", import.meta.url));
/** The reference capture's PKI folder. */
export const PKI = `${FIXTURES}pki/`;
/** A PEM file of the reference PKI, as text. */
export const pem = (name: string) => readFileSync(PKI + name, "utf8");
/** The SPKI DER (hex) of a key: equal for a private key and its public key. */
export const spki = (k: KeyObject) =>
  (k.type === "public" ? k : createPublicKey(k)).export({ type: "spki", format: "der" }).toString("hex");

/** DER encodings of the algorithm OIDs, to prove each generated file really uses the algorithm its test names. */
export const OID = {
  rc2_40: "060a2a864886f70d010c0106",
  rc2_128: "060a2a864886f70d010c0105",
  des3: "060a2a864886f70d010c0103",
  des2: "060a2a864886f70d010c0104",
  pbes2: "06092a864886f70d01050d",
  aes256: "060960864801650304012a",
  sha1: "06052b0e03021a",
  sha256: "0609608648016503040201",
  sha512: "0609608648016503040203",
};

/** The identity put in a generated file: the fixtures' RSA leaf with its CA, or the temp dir's EC leaf. */
export type Identity = "rsa" | "ec";

/** A temp dir with an EC identity; see opensslPkcs12Files. */
export interface OpensslPkcs12Files {
  /** False when this openssl has no legacy provider (it then cannot write RC2); known once `before` ran. */
  readonly legacyProvider: boolean;
  /** `openssl pkcs12 -export` into the temp dir; returns the file's bytes. */
  exportP12(name: string, identity: Identity, password: string, ...opts: string[]): Promise<Buffer>;
  /** The key, leaf and other certificates a file of `identity` holds. */
  expected(identity: Identity): Promise<{ key: KeyObject; leaf: X509Certificate; others: X509Certificate[] }>;
}

/** Registers before/after hooks (call inside a describe) that make and remove the temp dir and its EC identity. */
export function opensslPkcs12Files(): OpensslPkcs12Files {
  let dir: string;
  let legacyProvider = true;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-p12-"));
    await run("openssl", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", join(dir, "ec.key")]);
    await run("openssl", [
      "req",
      "-new",
      "-x509",
      "-key",
      join(dir, "ec.key"),
      "-subj",
      "/CN=p12-ec-leaf",
      "-days",
      "2",
      "-out",
      join(dir, "ec.crt"),
    ]);
    legacyProvider = await run("openssl", ["list", "-providers", "-provider", "legacy"]).then(
      () => true,
      () => false,
    );
  });
  after(async () => dir && rm(dir, { recursive: true, force: true }));

  async function exportP12(name: string, identity: Identity, password: string, ...opts: string[]): Promise<Buffer> {
    const files =
      identity === "rsa"
        ? ["-inkey", `${PKI}rsa-leaf-key.pem`, "-in", `${PKI}rsa-leaf-cert.pem`, "-certfile", `${PKI}rsa-ca-cert.pem`]
        : ["-inkey", join(dir, "ec.key"), "-in", join(dir, "ec.crt")];
    const out = join(dir, name);
    await run("openssl", ["pkcs12", "-export", ...files, "-passout", `pass:${password}`, ...opts, "-out", out]);
    return readFile(out);
  }

  async function expected(identity: Identity) {
    if (identity === "rsa") {
      return {
        key: createPrivateKey(pem("rsa-leaf-key.pem")),
        leaf: new X509Certificate(pem("rsa-leaf-cert.pem")),
        others: [new X509Certificate(pem("rsa-ca-cert.pem"))],
      };
    }
    const key = createPrivateKey(await readFile(join(dir, "ec.key")));
    return { key, leaf: new X509Certificate(await readFile(join(dir, "ec.crt"))), others: [] as X509Certificate[] };
  }

  return {
    get legacyProvider() {
      return legacyProvider;
    },
    exportP12,
    expected,
  };
}
