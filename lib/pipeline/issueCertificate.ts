import type { Logger } from "../log.js";
import type { VaultClient } from "../vault/VaultClient.js";
import { generateKeyPair, type GeneratedKeyPair, type KeyKind } from "../x509/generateKeyPair.js";
import { createCsr } from "../x509/createCsr.js";
import { checkIssuedCertificate } from "../x509/checkIssuedCertificate.js";
import { loadPrivateKey } from "../x509/loadPrivateKey.js";
import { describeCertificate } from "../x509/describeCertificate.js";
import type { X509Identity } from "../identity/x509Identity.js";

/** What certificate to ask Vault's PKI for. */
export interface CertificateRequestConfig {
  /** PKI mount path (default "pki"). */
  mount: string;
  role: string;
  /**
   * "sign": key generated here, only a CSR goes to Vault (default); "issue": Vault generates the key (old sample's
   * way).
   */
  mode: "sign" | "issue";
  keyKind: KeyKind;
  commonName: string;
  uriSans: string[];
  /** Requested certificate lifetime, seconds (Vault caps it at the role's max_ttl). */
  ttlSec?: number;
}

/** A key pair made here and the CSR for it, ready to be sent to pki/sign. */
export interface PreparedCsr {
  keyPair: GeneratedKeyPair;
  csrPem: string;
}

/** Generates the key pair and writes the CSR for `cfg` (mode "sign"); needs no Vault token, so it can run early. */
export async function prepareCsr(cfg: CertificateRequestConfig): Promise<PreparedCsr> {
  const keyPair = await generateKeyPair(cfg.keyKind);
  return { keyPair, csrPem: await createCsr({ keyPair, commonName: cfg.commonName, uriSans: cfg.uriSans }) };
}

/**
 * Gets a certificate from Vault's PKI and checks it (our key, valid now, chain links): with "sign", a key pair is
 * generated
 * in memory and never leaves the process; with "issue", Vault's generated key is held in memory only. `deps.prepared`
 * is a prepareCsr() already started (e.g. while the login was in flight); without it the key and CSR are made here.
 */
export async function issueCertificate(
  vault: VaultClient,
  cfg: CertificateRequestConfig,
  deps: { nowMs: () => number; log: Logger; prepared?: Promise<PreparedCsr> },
): Promise<X509Identity> {
  let identity: X509Identity;
  if (cfg.mode === "sign") {
    const { keyPair, csrPem } = await (deps.prepared ?? prepareCsr(cfg));
    // CN and SANs travel in the CSR only: Vault's default use_csr_common_name / use_csr_sans take them from there
    // (sending them again only earns "field was provided but the role is set with use_csr_*" warnings)
    const issued = await vault.pkiSign({
      mount: cfg.mount,
      role: cfg.role,
      csrPem,
      commonName: "",
      ttlSec: cfg.ttlSec,
      namesInCsr: { commonName: cfg.commonName, uriSans: cfg.uriSans },
    });
    const checked = checkIssuedCertificate({
      certificatePem: issued.certificatePem,
      caChainPems: [issued.issuingCaPem, ...issued.caChainPems].filter((p) => p),
      signingKey: keyPair.signingKey,
      nowMs: deps.nowMs(),
    });
    identity = { key: keyPair.signingKey, certificate: checked.leaf, chain: checked.chain };
  } else {
    const issued = await vault.pkiIssue({
      mount: cfg.mount,
      role: cfg.role,
      commonName: cfg.commonName,
      uriSans: cfg.uriSans,
      ttlSec: cfg.ttlSec,
    });
    const key = loadPrivateKey(issued.privateKeyPem ?? "", { source: "the key Vault generated" });
    const checked = checkIssuedCertificate({
      certificatePem: issued.certificatePem,
      caChainPems: [issued.issuingCaPem, ...issued.caChainPems].filter((p) => p),
      signingKey: key,
      nowMs: deps.nowMs(),
    });
    identity = { key, certificate: checked.leaf, chain: checked.chain };
  }
  const d = describeCertificate(identity.certificate);
  deps.log.info(
    {
      serial: d.serial,
      notAfter: d.notAfter,
      uriSans: d.uriSans,
      subject: d.subject,
      chainLength: identity.chain.length,
      mode: cfg.mode,
    },
    "certificate issued",
  );
  return identity;
}
