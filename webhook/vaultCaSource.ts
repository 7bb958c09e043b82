/** Where injected pods get the CA of Vault's certificate: a file path in the settings cannot exist in their image. */
import { ConfigError } from "../lib/errors.js";
import type { VaultCaSource } from "../lib/webhook/parseInjectionConfig.js";
import type { EnvVar } from "../lib/webhook/podTypes.js";

/**
 * The Vault CA ConfigMap to mount, or undefined when the pods need none. Throws ConfigError when the refresher
 * settings name a CA file (VAULT_CACERT) but no ConfigMap carries it into the pods, or name a CA directory
 * (VAULT_CAPATH), which the webhook cannot mount.
 */
export function vaultCaSource(
  refresherEnv: readonly EnvVar[],
  v: { vaultCaConfigMap?: string; vaultCaKey: string },
): VaultCaSource | undefined {
  const has = (name: string) => refresherEnv.some((e) => e.name === name);
  const problems: string[] = [];
  if (has("VAULT_CAPATH")) {
    problems.push(
      "VAULT_CAPATH is set for injected refreshers, but a directory on the webhook's host is not in the pods",
    );
  }
  if (has("VAULT_CACERT") && !v.vaultCaConfigMap) {
    problems.push(
      "VAULT_CACERT is set for injected refreshers, but no --vault-ca-configmap brings that file into the pods",
    );
  }
  if (problems.length > 0) {
    throw new ConfigError({
      message: problems.join("; "),
      hint:
        "put the CA bundle in a ConfigMap in each workload namespace (e.g. with trust-manager) and set " +
        "--vault-ca-configmap (and --vault-ca-key); the webhook mounts it and sets VAULT_CACERT itself",
      problems,
    });
  }
  return v.vaultCaConfigMap ? { configMap: v.vaultCaConfigMap, key: v.vaultCaKey } : undefined;
}
