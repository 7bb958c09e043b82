/** The refresher settings the webhook hands to every injected refresher, taken from its own environment. */
import type { Setting } from "../lib/config/setting.js";
import { certificateRequestSettings } from "../lib/config/settings/certificateRequestSettings.js";
import { endpointVariantSettings } from "../lib/config/settings/networkSettings.js";
import { eventSettings } from "../lib/config/settings/eventSettings.js";
import { outputSettings } from "../lib/config/settings/outputSettings.js";
import { refresherSettings } from "../lib/config/settings/refresherSettings.js";
import { rolesAnywhereSettings } from "../lib/config/settings/rolesAnywhereSettings.js";
import { stsSettings } from "../lib/config/settings/stsSettings.js";
import { throttleBudgetSetting } from "../lib/config/settings/throttleSettings.js";
import { vaultSettings } from "../lib/config/settings/vaultSettings.js";
import type { EnvVar } from "../lib/webhook/podTypes.js";

/**
 * Settings the injected containers get as arguments or from the downward API (the pod layout); the environment must
 * not contradict them.
 */
const SET_BY_LAYOUT = new Set([
  "saTokenFile",
  "outputDir",
  "endpointPort",
  "endpointTokenFile",
  "opsPort",
  "writeCredentials",
  "imds",
  "imdsPort",
  "podName",
  "podNamespace",
  "podUid",
]);

/** Every setting the refresher reads from its environment (the groups `iamra-vault refresher` is built from). */
export const REFRESHER_SETTING_GROUPS: readonly Setting[] = [
  ...vaultSettings,
  ...certificateRequestSettings,
  ...rolesAnywhereSettings,
  ...outputSettings,
  ...stsSettings.filter((s) => s.key !== "verify"), // the refresher has no --verify
  ...refresherSettings,
  ...endpointVariantSettings,
  throttleBudgetSetting,
  ...eventSettings,
];

/** The refresher's environment variables present (non-empty) in `env`, in schema order, minus layout settings. */
export function refresherEnvironment(env: Record<string, string | undefined>): EnvVar[] {
  const out: EnvVar[] = [];
  for (const s of REFRESHER_SETTING_GROUPS) {
    if (SET_BY_LAYOUT.has(s.key)) continue;
    for (const name of s.env ?? []) {
      const value = env[name];
      if (value !== undefined && value !== "") out.push({ name, value });
    }
  }
  return out;
}
