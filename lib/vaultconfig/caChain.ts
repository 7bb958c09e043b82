import { X509Certificate } from "node:crypto";
import { ConfigError } from "../errors.js";
import { parseCertificateBundle } from "../x509/parseCertificates.js";

/** True when `cert` is self-signed (its own issuer, signature verifies with its own key). */
export function isSelfSigned(cert: X509Certificate): boolean {
  return cert.checkIssued(cert) && cert.verify(cert.publicKey);
}

/** The root (self-signed) certificates of a PEM bundle, as PEM, in bundle order. */
export function rootsOf(bundlePem: string): string[] {
  return parseCertificateBundle(bundlePem, "CA chain")
    .filter(isSelfSigned)
    .map((c) => c.toString().trim());
}

/**
 * Checks a signed intermediate before it is installed: it is a CA certificate and it chains, through the certificates
 * of
 * `chainPem` (issuing CA first or in any order), to a self-signed root in `chainPem`. Returns the set-signed bundle:
 * the intermediate, then the chain certificates from its issuer up to the root.
 */
export function checkSignedIntermediate(
  certificatePem: string,
  chainPem: string,
): { bundlePem: string; rootPem: string } {
  const problems: string[] = [];
  const [intermediate, ...extra] = parseCertificateBundle(certificatePem, "--signed-intermediate");
  const chain = [...extra, ...parseCertificateBundle(chainPem, "--root")];
  if (!intermediate) problems.push("--signed-intermediate: no certificate found");
  if (chain.length === 0) problems.push("--root: no certificate found");
  if (!intermediate || chain.length === 0)
    throw new ConfigError({
      code: "VAULT_CONFIG_INTERMEDIATE_INVALID",
      message: problems.join("; "),
      problems,
      hint: "give PEM files",
    });
  if (!intermediate.ca)
    problems.push(
      `--signed-intermediate: ${intermediate.subject.replace(/\n/g, ", ")} is not a CA certificate (basicConstraints CA:FALSE)`,
    );
  const path: X509Certificate[] = [];
  let current = intermediate;
  for (let hops = 0; hops < 10 && !isSelfSigned(current); hops++) {
    const parent = chain.find((c) => current.checkIssued(c) && current.verify(c.publicKey));
    if (!parent) {
      problems.push(
        `the certificate ${current.subject.replace(/\n/g, ", ")} is not signed by any certificate in --root`,
      );
      break;
    }
    path.push(parent);
    current = parent;
  }
  if (problems.length === 0 && !isSelfSigned(current))
    problems.push("--root: the chain does not end in a self-signed root certificate");
  if (problems.length > 0) {
    throw new ConfigError({
      code: "VAULT_CONFIG_INTERMEDIATE_INVALID",
      message: `the signed intermediate cannot be installed: ${problems.join("; ")}`,
      problems,
      hint: "sign the CSR printed by apply with your root CA (as a CA certificate) and pass that root (and any CA in between) with --root",
    });
  }
  const pems = [intermediate, ...path].map((c) => c.toString().trim());
  return { bundlePem: pems.join("\n"), rootPem: pems[pems.length - 1]! };
}
