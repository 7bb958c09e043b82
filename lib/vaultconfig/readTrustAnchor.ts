import type { VaultClient } from "../vault/VaultClient.js";
import { rootsOf } from "./caChain.js";
import type { VaultConfig } from "./VaultConfig.js";

type Json = Record<string, unknown>;

/**
 * The root CA certificate (PEM) the config's intermediate chains to, as Vault knows it: the root mount's CA
 * (signedBy: mount) or the self-signed certificate at the end of the intermediate mount's chain (signedBy: external,
 * installed with its root). undefined when there is none yet.
 */
export async function readTrustAnchor(vault: VaultClient, config: VaultConfig): Promise<string | undefined> {
  const by = config.pki.intermediate.signedBy;
  if (by.type === "mount") {
    const data = (await vault.read(`${by.mount}/cert/ca`))?.data as Json | undefined;
    return typeof data?.certificate === "string" && data.certificate.trim() ? data.certificate.trim() : undefined;
  }
  const data = (await vault.read(`${config.pki.mount}/cert/ca_chain`))?.data as Json | undefined;
  const chain =
    typeof data?.ca_chain === "string" ? data.ca_chain : Array.isArray(data?.ca_chain) ? data.ca_chain.join("\n") : "";
  const roots = chain.trim() ? rootsOf(chain) : [];
  return roots[roots.length - 1];
}
