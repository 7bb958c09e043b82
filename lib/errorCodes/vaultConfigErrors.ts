import { CONFIG, RUNTIME, type ErrorCodeEntry } from "./errorCodeEntry.js";

/** Error codes of the group "vaultConfig" (see ERROR_CODE_GROUPS). */
export const VAULT_CONFIG_ERRORS = {
  VAULT_CONFIG_INVALID: {
    group: "vaultConfig",
    exitCodes: CONFIG,
    meaning: "the vault-config file is not valid YAML or does not match the schema",
    hint: "fix the fields named in the message",
  },
  VAULT_CONFIG_INTERMEDIATE_INVALID: {
    group: "vaultConfig",
    exitCodes: CONFIG,
    meaning: "an externally signed intermediate was given that does not fit the config, or its files are not PEM",
    hint: "use signedBy: { type: external } and give PEM files",
  },
  VAULT_CONFIG_KUBERNETES_CA_MISSING: {
    group: "vaultConfig",
    exitCodes: RUNTIME,
    meaning:
      "`vault-config apply`: Vault runs outside the cluster and `kubernetesAuth.config` has no " +
      "`caCert`/`caCertFile`",
    hint: "give the cluster's CA in kubernetesAuth.config",
  },
  VAULT_CONFIG_CONFLICT: {
    group: "vaultConfig",
    exitCodes: RUNTIME,
    meaning: "Vault holds something at a path the config wants that cannot be changed safely",
    hint: "resolve it by hand, or change the mount path in the config",
  },
  VAULT_CONFIG_NOT_CONVERGED: {
    group: "vaultConfig",
    exitCodes: RUNTIME,
    meaning: "after apply, Vault still differs from the config",
    hint: "run plan to see the fields; Vault may be rejecting or rewriting them",
  },
  VAULT_CONFIG_UNEXPECTED_ANSWER: {
    group: "vaultConfig",
    exitCodes: RUNTIME,
    meaning: "Vault's answer to a PKI call lacks a field it documents",
    hint: "check that the mount is a PKI secrets engine and the token may write to it",
  },
  VAULT_CONFIG_NO_TRUST_ANCHOR: {
    group: "vaultConfig",
    exitCodes: RUNTIME,
    meaning: "`vault-config export` found no root CA certificate in Vault",
    hint: "run apply until the intermediate is installed, or pass --root",
  },
} as const satisfies Record<string, ErrorCodeEntry>;
