import type { CommandSpec } from "../cli/commandSpec.js";
import type { ValuesOf } from "../lib/config/setting.js";
import { rolesAnywhereSettings } from "../lib/config/settings/rolesAnywhereSettings.js";
import { certificateFileSettings } from "../lib/config/settings/certificateFileSettings.js";
import { debugSetting } from "../lib/config/settings/logSettings.js";
import { endpointVariantSettings, withProxySetting } from "../lib/config/settings/networkSettings.js";
import { sessionProblems } from "../lib/pipeline/sessionProblems.js";

/** Every setting of credential-process. */
export const credentialProcessSettings = [
  ...certificateFileSettings,
  ...rolesAnywhereSettings,
  ...endpointVariantSettings,
  withProxySetting,
  debugSetting,
];

/** credential-process's resolved settings. */
export type CredentialProcessValues = ValuesOf<typeof credentialProcessSettings>;

/**
 * `iamra-vault credential-process`: drop-in for `aws_signing_helper credential-process` (same flags, same stdout JSON).
 */
export const credentialProcessCommand: CommandSpec<typeof credentialProcessSettings> = {
  name: "credential-process",
  summary:
    "print temporary credentials as credential_process JSON, from certificate and key files (aws_signing_helper compatible)",
  settings: credentialProcessSettings,
  logToStderr: true,
  defaultLogLevel: "warn",
  helpText: [
    "Use it from an AWS config profile:",
    "  [profile app]",
    "  credential_process = iamra-vault credential-process --certificate /certs/tls.crt --private-key /certs/tls.key \\",
    "      --trust-anchor-arn arn:aws:rolesanywhere:... --profile-arn arn:aws:rolesanywhere:... --role-arn arn:aws:iam::...",
    "stdout carries only the JSON (Version 1, no trailing newline); errors go to stderr; exit 1 on failure, 2 on usage errors.",
    "Differences from aws_signing_helper: flags win over AWS_ENDPOINT_URL_ROLESANYWHERE, every call has a timeout, the",
    "key/certificate pair and chain are checked locally first, and --debug never prints secrets.",
    "HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured with or without --with-proxy (NO_PROXY=* turns proxies off).",
  ].join("\n"),
  validate: (v) => sessionProblems(v),
  run: async (values, ctx) => (await import("./runCredentialProcess.js")).runCredentialProcess(values, ctx),
};
