import type { CommandSpec } from "../cli/commandSpec.js";
import type { ValuesOf } from "../lib/config/setting.js";
import { vaultSettings } from "../lib/config/settings/vaultSettings.js";
import { certificateRequestSettings } from "../lib/config/settings/certificateRequestSettings.js";
import { rolesAnywhereSettings } from "../lib/config/settings/rolesAnywhereSettings.js";
import { outputSettings } from "../lib/config/settings/outputSettings.js";
import { stsSettings } from "../lib/config/settings/stsSettings.js";
import { debugSetting } from "../lib/config/settings/logSettings.js";
import { endpointVariantSettings } from "../lib/config/settings/networkSettings.js";
import { throttleBudgetSetting } from "../lib/config/settings/throttleSettings.js";
import { eventSettings } from "../lib/config/settings/eventSettings.js";
import { sessionProblems } from "../lib/pipeline/sessionProblems.js";
import { vaultPipelineProblems } from "../lib/pipeline/vaultPipelineProblems.js";

/** Every setting of init (its values type is ValuesOf<typeof initSettings>). */
export const initSettings = [
  ...vaultSettings,
  ...certificateRequestSettings,
  ...rolesAnywhereSettings,
  throttleBudgetSetting,
  ...outputSettings,
  ...stsSettings,
  ...endpointVariantSettings,
  ...eventSettings,
  debugSetting,
];

/** init's resolved settings. */
export type InitValues = ValuesOf<typeof initSettings>;

/** `iamra-vault init`: walk the credential path once, write the outputs, exit (init container). */
export const initCommand: CommandSpec<typeof initSettings> = {
  name: "init",
  summary:
    "obtain AWS credentials once (Vault login → certificate → Roles Anywhere) and write them to the output directory",
  settings: initSettings,
  helpText: [
    "Runs as an init container: logs in to Vault with the pod's service-account token, generates a key pair in memory,",
    "has Vault's PKI sign a CSR, calls Roles Anywhere CreateSession and writes <output-dir>/credentials atomically.",
    "Exit codes: 0 success, 1 failure (nothing half-written; existing files untouched), 2 bad configuration.",
  ].join("\n"),
  validate: (v, { env }) => [...vaultPipelineProblems(v, env.VAULT_TOKEN), ...sessionProblems(v)],
  run: async (values, ctx) => (await import("./runInit.js")).runInit(values, ctx),
};
