import type { CommandSpec } from "../cli/commandSpec.js";
import { omitSettings, optionalSetting, type ValuesOf } from "../lib/config/setting.js";
import { vaultAddrSetting, vaultSettings } from "../lib/config/settings/vaultSettings.js";
import { certificateRequestSettings } from "../lib/config/settings/certificateRequestSettings.js";
import { rolesAnywhereSettings } from "../lib/config/settings/rolesAnywhereSettings.js";
import { outputSettings } from "../lib/config/settings/outputSettings.js";
import { stsSettings } from "../lib/config/settings/stsSettings.js";
import { refresherSettings } from "../lib/config/settings/refresherSettings.js";
import { debugSetting } from "../lib/config/settings/logSettings.js";
import { endpointVariantSettings } from "../lib/config/settings/networkSettings.js";
import { throttleBudgetSetting } from "../lib/config/settings/throttleSettings.js";
import { eventSettings } from "../lib/config/settings/eventSettings.js";
import type { ConfigProblem } from "../lib/config/configProblem.js";
import { sessionProblems } from "../lib/pipeline/sessionProblems.js";
import { vaultPipelineProblems } from "../lib/pipeline/vaultPipelineProblems.js";

/** Every setting of the refresher (its values type is ValuesOf<typeof refresherCommandSettings>). */
export const refresherCommandSettings = [
  // with --identity-source files there is no Vault: --vault-addr is checked by validate
  optionalSetting(vaultAddrSetting),
  ...omitSettings(vaultSettings, ["vaultAddr"]),
  ...certificateRequestSettings,
  ...rolesAnywhereSettings,
  throttleBudgetSetting,
  ...outputSettings,
  ...omitSettings(stsSettings, ["verify"]),
  ...refresherSettings,
  ...endpointVariantSettings,
  ...eventSettings,
  debugSetting,
];

/** The refresher's resolved settings. */
export type RefresherSettingsValues = ValuesOf<typeof refresherCommandSettings>;

/** `iamra-vault refresher`: keep credentials fresh and serve them (sidecar). */
export const refresherCommand: CommandSpec<typeof refresherCommandSettings> = {
  name: "refresher",
  summary:
    "keep AWS credentials fresh: renew before expiry, rewrite the files atomically, serve the container credentials endpoint",
  settings: refresherCommandSettings,
  helpText: [
    "Runs as a sidecar (native: an init container with restartPolicy: Always and a startupProbe on /readyz).",
    "Apps should use the endpoint: AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:9912/credentials and",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=<output-dir>/endpoint-token; SDKs re-fetch it before expiry, while they cache a",
    "credentials file for the life of the process. SIGTERM/SIGINT: stop serving, finish an in-flight write, exit 0.",
  ].join("\n"),
  exitWhenDone: true,
  validate: (v, { env }) => [...identityProblems(v, env.VAULT_TOKEN), ...sessionProblems(v)],
  run: async (values, ctx) => (await import("./runRefresher.js")).runRefresher(values, ctx),
};

/** What each --identity-source needs: Vault's address and login, or the files Vault Agent renders. */
function identityProblems(v: RefresherSettingsValues, vaultTokenEnv: string | undefined): ConfigProblem[] {
  if (v.identitySource === "files") {
    const hint = "point them at the files Vault Agent renders";
    return [
      ...(v.certificate ? [] : [{ message: "--certificate is required with --identity-source files", hint }]),
      ...(v.privateKey ? [] : [{ message: "--private-key is required with --identity-source files", hint }]),
    ];
  }
  const address = v.vaultAddr
    ? []
    : [{ message: "--vault-addr (or $VAULT_ADDR) is required with --identity-source vault", hint: "set VAULT_ADDR" }];
  return [...address, ...vaultPipelineProblems(v, vaultTokenEnv)];
}
