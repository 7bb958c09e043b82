import type { X509Certificate } from "node:crypto";
import { IamraError } from "../errors.js";
import { loadPrivateKey, type SigningKey } from "./loadPrivateKey.js";
import { parseCertificateBundle, parseCertificatePem } from "./parseCertificates.js";
import { checkChain, checkKeyMatchesCertificate, checkValidity } from "./checkCertificate.js";

/** Paths of an identity on disk (certificate, key and optional intermediates bundle). */
export interface IdentityFiles {
  certificate: string;
  privateKey: string;
  intermediates?: string;
  /** Password of an encrypted PKCS#8 key. */
  password?: string;
}

/** A checked identity: key and certificate match, the certificate is valid now and the chain links. */
export interface LoadedIdentity {
  key: SigningKey;
  certificate: X509Certificate;
  chain: X509Certificate[];
}

/**
 * Reads and checks an identity from files before anything is sent (the official helper sends a mismatched pair and
 * lets AWS reject it). `readFile` is injected so that callers decide about I/O.
 */
export async function loadIdentityFiles(
  files: IdentityFiles,
  deps: { readFile: (path: string) => Promise<Buffer>; nowMs: number },
): Promise<LoadedIdentity> {
  const read = async (path: string, what: string) => {
    try {
      return await deps.readFile(path);
    } catch (cause) {
      const code = (cause as { code?: string }).code;
      throw new IamraError({
        code: "FILE_UNREADABLE",
        message: `cannot read the ${what} file ${path} (${code ?? (cause as Error).message})`,
        hint: code === "ENOENT" ? "check the path" : "check the file's permissions",
        step: "load-identity",
        details: { path, errno: code },
        cause,
      });
    }
  };
  const [certPem, keyPem, chainPem] = await Promise.all([
    read(files.certificate, "certificate"),
    read(files.privateKey, "private key"),
    files.intermediates ? read(files.intermediates, "intermediates") : Promise.resolve(undefined),
  ]);
  const certificate = parseCertificatePem(certPem, files.certificate);
  const key = loadPrivateKey(keyPem, { password: files.password, source: files.privateKey });
  const chain = chainPem ? parseCertificateBundle(chainPem, files.intermediates) : [];
  checkKeyMatchesCertificate(key, certificate);
  checkValidity(certificate, deps.nowMs);
  checkChain(certificate, chain, deps.nowMs);
  return { key, certificate, chain };
}
