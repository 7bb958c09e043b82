import { pickSettings, setting, type ValuesOf } from "../lib/config/setting.js";
import { parseNonEmpty } from "../lib/config/parsers.js";
import { vaultSettings } from "../lib/config/settings/vaultSettings.js";
import { debugSetting } from "../lib/config/settings/logSettings.js";

const VAULT_KEYS = [
  "vaultAddr",
  "vaultCacert",
  "vaultCapath",
  "vaultSkipVerify",
  "vaultNamespace",
  "vaultTokenFile",
  "vaultTimeoutMs",
  "vaultMaxAttempts",
] as const;

/**
 * --config and the Vault connection settings every vault-config subcommand takes (token: $VAULT_TOKEN or
 * --vault-token-file).
 */
export const commonSettings = [
  setting({
    key: "config",
    flag: "--config <file>",
    env: ["IAMRA_VAULT_CONFIG"],
    description: "vault-config YAML file (schema: vault-config/README.md)",
    parse: parseNonEmpty,
    required: true,
    mustExist: "file",
  }),
  ...pickSettings(vaultSettings, VAULT_KEYS).map((s) =>
    s.key === "vaultTokenFile"
      ? { ...s, description: "file holding the operator's Vault token (or set $VAULT_TOKEN)" }
      : s,
  ),
  debugSetting,
];

/** `plan` only. */
export const planSettings = [
  ...commonSettings,
  setting({
    key: "exitCode",
    flag: "--exit-code",
    boolean: true,
    default: false,
    description: "exit 2 when changes are pending (drift detection in CI)",
    parse: () => true,
  }),
];

const rootSetting = setting({
  key: "root",
  flag: "--root <file>",
  description: "PEM root CA certificate (and any CA between it and the intermediate)",
  parse: parseNonEmpty,
  mustExist: "file",
});

/** `apply` only. */
export const applySettings = [
  ...commonSettings,
  setting({
    key: "signedIntermediate",
    flag: "--signed-intermediate <file>",
    description: "PEM intermediate CA certificate signed by your root from the CSR apply printed (needs --root)",
    parse: parseNonEmpty,
    mustExist: "file",
  }),
  rootSetting,
  setting({
    key: "csrOut",
    flag: "--csr-out <file>",
    description: "also write the pending intermediate CSR to this file",
    parse: parseNonEmpty,
  }),
];

/** `export` only. */
export const exportSettings = [
  ...commonSettings,
  setting({
    key: "outDir",
    flag: "--out-dir <dir>",
    env: ["IAMRA_EXPORT_DIR"],
    description: "directory for the exported files (created if missing)",
    parse: parseNonEmpty,
    required: true,
  }),
  setting({
    key: "trustAnchorArn",
    flag: "--trust-anchor-arn <arn>",
    env: ["IAMRA_TRUST_ANCHOR_ARN", "ANCHOR_ARN"],
    description: "trust anchor ARN, once created: trust policies then also require aws:SourceArn",
    parse: (raw) => {
      if (!/^arn:aws[a-z-]*:rolesanywhere:[a-z0-9-]+:\d{12}:trust-anchor\/[0-9a-f-]+$/.test(raw.trim()))
        throw new Error(`"${raw}" is not a Roles Anywhere trust anchor ARN`);
      return raw.trim();
    },
  }),
  { ...rootSetting, description: "PEM root CA certificate to export instead of the one found in Vault" },
  setting({
    key: "cloudFormation",
    flag: "--cloudformation",
    boolean: true,
    default: false,
    description: "also write cloudformation.json (trust anchor, profile, one IAM role per binding)",
    parse: () => true,
  }),
];

/** The Vault connection values every vault-config subcommand has. */
export type VaultConnectionValues = ValuesOf<typeof commonSettings>;
/** `plan`'s resolved settings. */
export type PlanValues = ValuesOf<typeof planSettings>;
/** `apply`'s resolved settings. */
export type ApplyValues = ValuesOf<typeof applySettings>;
/** `export`'s resolved settings. */
export type ExportValues = ValuesOf<typeof exportSettings>;
