/** The shape of an error-code catalogue entry, and the groups the README lists them in. */

/** Groups of the catalogue, in the order the README lists them. */
export const ERROR_CODE_GROUPS = {
  config: "Configuration and usage",
  files: "Certificates, keys and PKCS#12 files",
  vault: "Vault",
  rolesAnywhere: "IAM Roles Anywhere and STS",
  network: "Network and proxies",
  output: "Output files and endpoints",
  vaultConfig: "vault-config",
  webhook: "Admission webhook",
  lifecycle: "Lifecycle",
  devstack: "Devstack (development only)",
} as const;

/** One catalogue entry. */
export interface ErrorCodeEntry {
  group: keyof typeof ERROR_CODE_GROUPS;
  /** Exit codes a command ends with on this error: 2 for configuration/usage, 1 for runtime failures. */
  exitCodes: readonly (1 | 2)[];
  /** What the error usually means. */
  meaning: string;
  /** What to do about it, in short (the error's own hint says it for the case at hand). */
  hint: string;
  /** Only the devstack (the local stand-ins) throws it; the shipped commands never do. */
  devstackOnly?: true;
}

/** Exit codes of runtime failures. */
export const RUNTIME = [1] as const;
/** Exit codes of configuration and usage errors. */
export const CONFIG = [2] as const;
