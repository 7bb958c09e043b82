import type { X509Certificate } from "node:crypto";
import { ConfigError, IamraError } from "../errors.js";
import { loadPrivateKey, type SigningKey } from "./loadPrivateKey.js";
import { parseCertificateBundle, parseCertificatePem } from "./parseCertificates.js";
import { looksLikePem } from "./readPemBlocks.js";
import type { X509Identity } from "../identity/x509Identity.js";
import { checkChain, checkKeyMatchesCertificate, checkValidity } from "./checkCertificate.js";

/** Paths of an identity on disk: a PEM certificate with its key and optional intermediates, or a PKCS#12 file alone. */
export interface IdentityFiles {
  /** PEM certificate, or a PKCS#12 (.p12/.pfx) file holding key and certificates when `privateKey` is absent. */
  certificate: string;
  privateKey?: string;
  intermediates?: string;
  /** Password of an encrypted PKCS#8 key or of a PKCS#12 file (PKCS#12 default: empty). */
  password?: string;
}

/**
 * Reads and checks an identity from files before anything is sent (the official helper sends a mismatched pair and
 * lets AWS reject it). `readFile` is injected so that callers decide about I/O. Like the official helper, a certificate
 * file that is not PEM, given without a private key, is read as PKCS#12 and the chain is [leaf, other certificates…].
 */
export async function loadIdentityFiles(
  files: IdentityFiles,
  deps: { readFile: (path: string) => Promise<Buffer>; nowMs: number },
): Promise<X509Identity> {
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
  const [certFile, keyPem, chainPem] = await Promise.all([
    read(files.certificate, "certificate"),
    files.privateKey ? read(files.privateKey, "private key") : Promise.resolve(undefined),
    files.intermediates ? read(files.intermediates, "intermediates") : Promise.resolve(undefined),
  ]);
  let key: SigningKey;
  let certificate: X509Certificate;
  let chain: X509Certificate[];
  if (keyPem === undefined) {
    if (looksLikePem(certFile)) {
      throw new ConfigError({
        message: "--private-key is required unless --certificate is a PKCS#12 file",
        hint: `${files.certificate} is PEM; point --private-key at its key, or use a PKCS#12 (.p12/.pfx) file that holds both.`,
        details: { certificate: files.certificate },
      });
    }
    if (files.intermediates) {
      throw new ConfigError({
        message: "--intermediates cannot be used with a PKCS#12 --certificate (its chain comes from the file)",
        hint: "Put the intermediate CA certificates into the PKCS#12 file (openssl pkcs12 -export -certfile chain.pem), or use PEM files.",
        details: { certificate: files.certificate, intermediates: files.intermediates },
      });
    }
    // loaded only for PKCS#12 files: its ASN.1 libraries would slow every credential-process start
    const { loadPkcs12 } = await import("./loadPkcs12.js");
    const p12 = loadPkcs12(certFile, { password: files.password, source: files.certificate });
    ({ key, certificate } = p12);
    chain = [p12.certificate, ...p12.others];
  } else {
    certificate = parseCertificatePem(certFile, files.certificate);
    key = loadPrivateKey(keyPem, { password: files.password, source: files.privateKey });
    chain = chainPem ? parseCertificateBundle(chainPem, files.intermediates) : [];
  }
  checkKeyMatchesCertificate(key, certificate);
  checkValidity(certificate, deps.nowMs);
  checkChain(certificate, chain, deps.nowMs);
  return { key, certificate, chain };
}
