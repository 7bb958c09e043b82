import { IamraError } from "../errors.js";
import type { VaultClient } from "../vault/VaultClient.js";
import type { PkiConfig } from "./VaultConfig.js";

type Json = Record<string, unknown>;

/** What happened to the intermediate: installed, or a CSR that now waits for an external signature. */
export type IntermediateOutcome = { installed: true } | { installed: false; csrPem: string };

function field(answer: Json | null, name: string, path: string): string {
  const value = (answer?.data as Json | undefined)?.[name];
  if (typeof value === "string" && value.trim()) return value.trim();
  throw new IamraError({
    code: "VAULT_CONFIG_UNEXPECTED_ANSWER",
    message: `Vault's answer to ${path} has no "${name}".`,
    hint: "check that the mount is a PKI secrets engine and the token may write to it",
    step: "vault-config-apply",
  });
}

async function generateCsr(vault: VaultClient, pki: PkiConfig): Promise<string> {
  const int = pki.intermediate;
  const path = `${pki.mount}/intermediate/generate/internal`;
  const answer = await vault.write(path, {
    common_name: int.commonName,
    key_type: int.keyType,
    key_bits: int.keyBits,
    format: "pem",
  });
  return field(answer, "csr", path);
}

/** POSTs a PEM bundle (intermediate first, then its parents up to the root) to <mount>/intermediate/set-signed. */
export async function setSigned(vault: VaultClient, mount: string, bundlePem: string): Promise<void> {
  await vault.write(`${mount}/intermediate/set-signed`, { certificate: bundlePem });
}

/**
 * Creates the intermediate CA of `pki`: generates its key and CSR inside Vault (the key never leaves Vault), then
 * either
 * has the root mount of the same Vault sign it and installs it with the root (signedBy: mount), installs the externally
 * signed bundle given (signedBy: external, second apply), or returns the CSR to be signed (signedBy: external, first
 * apply).
 */
export async function installIntermediate(
  vault: VaultClient,
  pki: PkiConfig,
  signedBundlePem?: string,
): Promise<IntermediateOutcome> {
  const by = pki.intermediate.signedBy;
  if (by.type === "external") {
    if (signedBundlePem) {
      await setSigned(vault, pki.mount, signedBundlePem);
      return { installed: true };
    }
    return { installed: false, csrPem: await generateCsr(vault, pki) };
  }
  const csr = await generateCsr(vault, pki);
  const signPath = `${by.mount}/root/sign-intermediate`;
  const signed = await vault.write(signPath, {
    csr,
    common_name: pki.intermediate.commonName,
    ttl: `${pki.intermediate.ttlSec}s`,
    format: "pem",
  });
  const certificate = field(signed, "certificate", signPath);
  const chain = ((signed?.data as Json | undefined)?.ca_chain as unknown[] | undefined) ?? [];
  const parents = chain.map((c) => String(c).trim()).filter((c) => c !== certificate);
  if (parents.length === 0) parents.push(field(signed, "issuing_ca", signPath));
  await setSigned(vault, pki.mount, [certificate, ...parents].join("\n"));
  return { installed: true };
}
