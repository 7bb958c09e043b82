import type { CommandSpec } from "../cli/commandSpec.js";
import { vaultSettings } from "../lib/config/settings/vaultSettings.js";
import { certificateRequestSettings } from "../lib/config/settings/certificateRequestSettings.js";
import { rolesAnywhereSettings } from "../lib/config/settings/rolesAnywhereSettings.js";
import { outputSettings } from "../lib/config/settings/outputSettings.js";
import { stsSettings } from "../lib/config/settings/stsSettings.js";
import { refresherSettings } from "../lib/config/settings/refresherSettings.js";
import { debugSetting } from "../lib/config/settings/logSettings.js";
import { endpointVariantSettings } from "../lib/config/settings/networkSettings.js";
import { throttleBudgetSetting } from "../lib/config/settings/throttleSettings.js";
import { eventSettings } from "../lib/config/settings/eventSettings.js";

const NOT_FOR_REFRESHER = new Set(["verify"]);
const settings = [
  ...vaultSettings.map((s) => (s.key === "vaultAddr" ? { ...s, required: false } : s)),
  ...certificateRequestSettings,
  ...rolesAnywhereSettings,
  throttleBudgetSetting,
  ...outputSettings,
  ...stsSettings.filter((s) => !NOT_FOR_REFRESHER.has(s.key)),
  ...refresherSettings,
  ...endpointVariantSettings,
  ...eventSettings,
  debugSetting,
];

/** `iamra-vault refresher`: keep credentials fresh and serve them (sidecar). */
export const refresherCommand: CommandSpec = {
  name: "refresher",
  summary: "keep AWS credentials fresh: renew before expiry, rewrite the files atomically, serve the container credentials endpoint",
  settings,
  helpText: [
    "Runs as a sidecar (native: an init container with restartPolicy: Always and a startupProbe on /readyz).",
    "Apps should use the endpoint: AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:9912/credentials and",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=<output-dir>/endpoint-token; SDKs re-fetch it before expiry, while they cache a",
    "credentials file for the life of the process. SIGTERM/SIGINT: stop serving, finish an in-flight write, exit 0.",
  ].join("\n"),
  exitWhenDone: true,
  run: async (values, ctx) => (await import("./runRefresher.js")).runRefresher(values, ctx),
};
