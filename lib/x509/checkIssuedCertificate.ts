/**
 * Validates what Vault's pki/sign or pki/issue returned and turns it into the leaf + chain that Roles Anywhere wants.
 */
import type { X509Certificate } from "node:crypto";
import { IamraError } from "../errors.js";
import type { SigningKey } from "./signingKey.js";
import { parseCertificateBundle, parseCertificatePem } from "./parseCertificates.js";
import { checkChain, checkValidity, keyMatchesCertificate } from "./checkCertificate.js";
import { certificateValidity } from "./certificateValidity.js";
import { describeCertificate, oneLineName } from "./describeCertificate.js";

/** Vault's answer (`certificate`, plus `issuing_ca`/`ca_chain` PEMs in any order), our key and the current time. */
export interface CheckIssuedCertificateInput {
  certificatePem: string;
  caChainPems: string[];
  signingKey: SigningKey;
  nowMs: number;
}

/** The checked leaf, the chain to send (leaf's issuer first, no self-signed roots) and the CA certificates left out. */
export interface IssuedCertificate {
  leaf: X509Certificate;
  chain: X509Certificate[];
  excluded: X509Certificate[];
}

const STEP = "check-issued-certificate";

/**
 * Checks an issued certificate: its key is ours (CERT_KEY_NOT_OURS), notBefore < notAfter, valid now, and the CA
 * certificates link to it (CHAIN_BROKEN etc., see checkChain). The chain is rebuilt leaf → issuer → … by name, whatever
 * order Vault used; copies of the leaf, duplicates and certificates off the leaf's path are dropped. Self-signed
 * certificates (roots) are verified as the end of the path but excluded from `chain`: Roles Anywhere validates the leaf
 * and intermediates up to the trust anchor it already holds, so a root in X-Amz-X509-Chain is harmless but unneeded.
 */
export function checkIssuedCertificate(input: CheckIssuedCertificateInput): IssuedCertificate {
  const leaf = parseCertificatePem(input.certificatePem, "the certificate returned by Vault");
  if (!keyMatchesCertificate(input.signingKey, leaf)) {
    throw new IamraError({
      code: "CERT_KEY_NOT_OURS",
      message: `Vault returned certificate "${oneLineName(leaf.subject)}" (serial ${leaf.serialNumber}) for a different public key than ours.`,
      hint: "Vault issued for another key (pki/issue generates its own key; with pki/sign check that our CSR was sent).",
      step: STEP,
      details: describeCertificate(leaf),
    });
  }
  const { notBeforeMs, notAfterMs } = certificateValidity(leaf);
  if (notAfterMs <= notBeforeMs) {
    throw new IamraError({
      code: "CERTIFICATE_INVALID",
      message: `Vault returned certificate serial ${leaf.serialNumber} whose notAfter is not after its notBefore.`,
      hint: "Check the PKI role's ttl/max_ttl and the CA certificate's own expiry (Vault caps leaves at the CA's notAfter).",
      step: STEP,
      details: describeCertificate(leaf),
    });
  }
  checkValidity(leaf, input.nowMs);

  const pool = uniqueCas(leaf, input.caChainPems);
  const path = buildPath(leaf, pool);
  if (pool.length > 0 && path.length === 0 && !isSelfIssued(leaf)) {
    throw new IamraError({
      code: "CHAIN_BROKEN",
      message:
        `None of the ${pool.length} CA certificates returned by Vault issued "${oneLineName(leaf.subject)}" ` +
        `(its issuer is "${oneLineName(leaf.issuer)}").`,
      hint: "The mount's CA chain does not belong to the issuer that signed this certificate; check the PKI mount's issuers.",
      step: STEP,
      details: { issuer: oneLineName(leaf.issuer), cas: pool.map((c) => oneLineName(c.subject)) },
    });
  }
  checkChain(leaf, path, input.nowMs);
  const chain = path.filter((c) => !isSelfSigned(c));
  const excluded = pool.filter((c) => !chain.includes(c));
  return { leaf, chain, excluded };
}

/** The CA certificates, each parsed once: Vault's issuing_ca is usually ca_chain[0] too, and copies are skipped. */
function uniqueCas(leaf: X509Certificate, pems: string[]): X509Certificate[] {
  const out: X509Certificate[] = [];
  const known = (der: Buffer) => der.equals(leaf.raw) || out.some((c) => c.raw.equals(der));
  pems.forEach((pem, i) => {
    for (const cert of parseCertificateBundle(pem, `CA certificate ${i + 1} returned by Vault`, known)) {
      if (!known(cert.raw)) out.push(cert); // a copy within the same PEM text
    }
  });
  return out;
}

/**
 * Follows issuer names from the leaf; among several candidates prefers one whose signature verifies (a single one is
 * taken as is: checkChain verifies every link of the path anyway).
 */
function buildPath(leaf: X509Certificate, pool: X509Certificate[]): X509Certificate[] {
  const path: X509Certificate[] = [];
  let current = leaf;
  while (!isSelfIssued(current)) {
    const candidates = pool.filter((c) => c.subject === current.issuer && !path.includes(c));
    const next =
      candidates.length > 1 ? (candidates.find((c) => signedBy(current, c)) ?? candidates[0]) : candidates[0];
    if (!next) break;
    path.push(next);
    current = next;
  }
  return path;
}

function isSelfIssued(cert: X509Certificate): boolean {
  return cert.subject === cert.issuer;
}

function isSelfSigned(cert: X509Certificate): boolean {
  return isSelfIssued(cert) && signedBy(cert, cert);
}

function signedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.verify(parent.publicKey);
  } catch {
    // A key/algorithm mismatch makes Node throw; it simply means "not signed by this parent".
    return false;
  }
}
