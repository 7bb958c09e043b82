import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Logger } from "../lib/log.js";
import type { VaultClient } from "../lib/vault/VaultClient.js";
import { parseVaultConfig } from "../lib/vaultconfig/parseVaultConfig.js";
import { applyVaultConfig } from "../lib/vaultconfig/applyVaultConfig.js";
import type { BindingSummary } from "../lib/vaultconfig/bindingSummary.js";

/** The bundled development config: next to this file when run from source, in the source tree when run from dist/. */
const DEV_VAULT_CONFIG =
  [
    fileURLToPath(new URL("./vault-config.dev.yaml", import.meta.url)),
    fileURLToPath(new URL("../../devstack/vault-config.dev.yaml", import.meta.url)),
  ].find((p) => existsSync(p)) ?? "devstack/vault-config.dev.yaml";

/** What the development Vault setup created. */
export interface DevVaultSetup {
  trustDomain: string;
  /** The root CA (the Roles Anywhere trust anchor). */
  rootCaPem: string;
  kubernetesAuthAccessor: string;
  /** Audience the kubernetes auth roles require in service-account tokens. */
  audience?: string;
  bindings: BindingSummary[];
}

/**
 * Sets up the devstack Vault with the same code as `iamra-vault vault-config apply` and the bundled development config:
 * a root mount signs the intermediate, kubernetes auth verifies tokens through the TokenReview stand-in (HTTPS, its CA
 * as
 * kubernetes_ca_cert: Vault and OpenBao refuse a kubernetes auth config without one outside a pod), and each binding
 * gets an identity-bound PKI role, a policy and a kubernetes auth role.
 */
export async function configureDevVault(
  vault: VaultClient,
  k8s: { tokenReviewUrl: string; caCertPem: string; reviewerJwt: string },
  log?: Logger,
): Promise<DevVaultSetup> {
  const config = parseVaultConfig(await readFile(DEV_VAULT_CONFIG, "utf8"), { source: DEV_VAULT_CONFIG });
  config.kubernetesAuth.config = {
    ...config.kubernetesAuth.config!,
    host: k8s.tokenReviewUrl,
    caCert: k8s.caCertPem,
    tokenReviewerJwt: k8s.reviewerJwt,
  };
  const result = await applyVaultConfig(vault, config, { log });
  if (!result.rootPem || !result.intermediateInstalled)
    throw new Error("the development Vault config did not install the intermediate CA");
  return {
    trustDomain: config.trustDomain,
    rootCaPem: result.rootPem,
    kubernetesAuthAccessor: result.kubernetesAuthAccessor,
    audience: config.bindings[0]?.vault.audience,
    bindings: result.bindings,
  };
}
