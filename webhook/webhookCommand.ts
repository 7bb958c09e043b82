import type { CommandSpec } from "../cli/commandSpec.js";
import type { ValuesOf } from "../lib/config/setting.js";
import { problemsOf, type ConfigProblem } from "../lib/config/configProblem.js";
import { refresherEnvironment } from "./refresherEnvironment.js";
import { vaultCaSource } from "./vaultCaSource.js";
import { webhookSettings } from "../lib/config/settings/webhookSettings.js";
import { debugSetting } from "../lib/config/settings/logSettings.js";

/** Every setting of the webhook. */
export const webhookCommandSettings = [...webhookSettings, debugSetting];

/** The webhook's resolved settings. */
export type WebhookValues = ValuesOf<typeof webhookCommandSettings>;

/** `iamra-vault webhook`: the mutating admission webhook that injects the refresher into opted-in pods. */
export const webhookCommand: CommandSpec<typeof webhookCommandSettings> = {
  name: "webhook",
  summary:
    "mutating admission webhook: inject the refresher, the Vault token and the AWS environment into opted-in pods",
  settings: webhookCommandSettings,
  helpText: [
    'Pods opt in with the annotation iamra-vault/inject: "true" (on the Pod or its ServiceAccount).',
    "Every refresher setting found in this process's environment (the names of `iamra-vault refresher --help`, e.g.",
    "VAULT_ADDR, IAMRA_TRUST_ANCHOR_ARN, AWS_REGION) is passed to every injected refresher; the chart's settings",
    "ConfigMap provides them. SIGTERM/SIGINT: stop accepting, finish open requests, exit 0.",
  ].join("\n"),
  exitWhenDone: true,
  validate: (v, { env }) => [
    ...problemsOf(() => vaultCaSource(refresherEnvironment(env), v)),
    ...kubernetesApiProblems(v, env),
  ],
  run: async (values, ctx) => (await import("./runWebhook.js")).runWebhook(values, ctx),
};

/** ServiceAccount annotations are read from the Kubernetes API: one must be known. */
function kubernetesApiProblems(v: WebhookValues, env: Record<string, string | undefined>): ConfigProblem[] {
  if (!v.serviceAccountAnnotations || v.kubernetesApiUrl || env.KUBERNETES_SERVICE_HOST) return [];
  return [
    {
      message: "ServiceAccount annotations need the Kubernetes API, and KUBERNETES_SERVICE_HOST is not set",
      hint: "run the webhook in a pod, set --kubernetes-api-url, or pass --no-service-account-annotations",
    },
  ];
}
