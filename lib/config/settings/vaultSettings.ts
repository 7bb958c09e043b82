import { setting } from "../setting.js";
import { enumParser, intParser, parseBool, parseNonEmpty, parsePositiveDurationMs, parseUrl } from "../parsers.js";

/** Default path of the pod's service-account token. */
export const DEFAULT_SA_TOKEN_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/token";

/** Vault's address (optional only in the refresher, whose --identity-source files needs no Vault). */
export const vaultAddrSetting = setting({
  key: "vaultAddr",
  flag: "--vault-addr <url>",
  env: ["VAULT_ADDR"],
  description: "Vault address",
  parse: parseUrl,
  required: true,
});

/** How to reach and authenticate to Vault (Vault's own environment names first). */
export const vaultSettings = [
  vaultAddrSetting,
  setting({
    key: "vaultCacert",
    flag: "--vault-cacert <file>",
    env: ["VAULT_CACERT"],
    description: "PEM CA certificate(s) to verify Vault's TLS certificate",
    parse: parseNonEmpty,
    mustExist: "file",
  }),
  setting({
    key: "vaultCapath",
    flag: "--vault-capath <dir>",
    env: ["VAULT_CAPATH"],
    description: "directory of PEM CA certificates to verify Vault's TLS certificate",
    parse: parseNonEmpty,
    mustExist: "directory",
  }),
  setting({
    key: "vaultSkipVerify",
    flag: "--vault-skip-verify",
    env: ["VAULT_SKIP_VERIFY"],
    boolean: true,
    default: false,
    description: "do not verify Vault's TLS certificate (tests only)",
    parse: parseBool,
  }),
  setting({
    key: "vaultNamespace",
    flag: "--vault-namespace <ns>",
    env: ["VAULT_NAMESPACE"],
    description: "Vault Enterprise/HCP namespace",
    parse: parseNonEmpty,
  }),
  setting({
    key: "vaultAuthMethod",
    flag: "--vault-auth-method <method>",
    env: ["IAMRA_VAULT_AUTH_METHOD"],
    default: "kubernetes" as const,
    description: "kubernetes (log in with the service-account token) or token (VAULT_TOKEN or --vault-token-file)",
    parse: enumParser(["kubernetes", "token"] as const),
  }),
  setting({
    key: "vaultAuthMount",
    flag: "--vault-auth-mount <path>",
    env: ["IAMRA_VAULT_AUTH_MOUNT", "VAULT_AUTH_MOUNT"],
    default: "kubernetes",
    description: "mount path of the kubernetes auth method (without auth/)",
    parse: parseNonEmpty,
  }),
  setting({
    key: "vaultRole",
    flag: "--vault-role <name>",
    env: ["IAMRA_VAULT_ROLE", "VAULT_ROLE"],
    description: "kubernetes auth role to log in with",
    parse: parseNonEmpty,
  }),
  setting({
    key: "saTokenFile",
    flag: "--sa-token-file <file>",
    env: ["IAMRA_SA_TOKEN_FILE"],
    default: DEFAULT_SA_TOKEN_FILE,
    description: "service-account token file (a projected token path works too)",
    parse: parseNonEmpty,
  }),
  setting({
    key: "vaultTokenFile",
    flag: "--vault-token-file <file>",
    env: ["IAMRA_VAULT_TOKEN_FILE"],
    description: "file holding a Vault token for --vault-auth-method token (or set $VAULT_TOKEN)",
    parse: parseNonEmpty,
    mustExist: "file",
  }),
  setting({
    key: "vaultTimeoutMs",
    flag: "--vault-timeout <duration>",
    env: ["IAMRA_VAULT_TIMEOUT"],
    default: 10_000,
    defaultText: "10s",
    description: "timeout of each Vault request",
    parse: parsePositiveDurationMs,
  }),
  setting({
    key: "vaultMaxAttempts",
    flag: "--vault-max-attempts <n>",
    env: ["IAMRA_VAULT_MAX_ATTEMPTS"],
    default: 4,
    description:
      "attempts per Vault call for connection errors, 5xx, sealed/standby (429 is retried within --throttle-budget)",
    parse: intParser(1, 20),
  }),
];
