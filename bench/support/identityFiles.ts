import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateKeyPair, type KeyKind } from "../../lib/x509/generateKeyPair.js";
import { makeCertificate, type GeneratedCertificate } from "../../devstack/certificates/makeCertificate.js";
import { cryptoKeyPairOf } from "../../devstack/certificates/cryptoKeyPairOf.js";

/**
 * Writes a leaf certificate and PKCS#8 key of `kind` under `issuer` into `dir`; returns the credential-process flags.
 */
export async function writeIdentityFiles(
  dir: string,
  name: string,
  kind: KeyKind,
  issuer: GeneratedCertificate,
  chain: GeneratedCertificate[] = [],
): Promise<string[]> {
  const pair = await generateKeyPair(kind);
  const leaf = await makeCertificate({ subject: `CN=${name}`, issuer, keys: await cryptoKeyPairOf(pair) });
  const keyPem = pair.signingKey.keyObject.export({ type: "pkcs8", format: "pem" });
  await writeFile(join(dir, `${name}.crt`), leaf.pem);
  await writeFile(join(dir, `${name}.key`), keyPem, { mode: 0o600 });
  const flags = ["--certificate", join(dir, `${name}.crt`), "--private-key", join(dir, `${name}.key`)];
  if (chain.length > 0) {
    await writeFile(join(dir, `${name}-chain.pem`), chain.map((c) => c.pem).join(""));
    flags.push("--intermediates", join(dir, `${name}-chain.pem`));
  }
  return flags;
}
