import { readFile } from "node:fs/promises";
import type { CommandContext } from "../cli/commandSpec.js";
import type { WebhookValues } from "./webhookCommand.js";
import { ConfigError } from "../lib/errors.js";
import { systemClock } from "../lib/time/clock.js";
import { createKubernetesServiceAccountLookup } from "../lib/webhook/kubernetesServiceAccounts.js";
import type { InjectionDefaults } from "../lib/webhook/parseInjectionConfig.js";
import { reviewAdmission } from "../lib/webhook/reviewAdmission.js";
import type { ServiceAccountLookup } from "../lib/webhook/serviceAccountLookup.js";
import { createWebhookMetrics } from "../lib/webhook/webhookMetrics.js";
import { refresherEnvironment } from "./refresherEnvironment.js";
import { startWebhookServer } from "./startWebhookServer.js";
import { vaultCaSource } from "./vaultCaSource.js";

/** Timeout of one Kubernetes API call; the API server gives the whole admission 10 s by default. */
const KUBERNETES_TIMEOUT_MS = 3_000;

/** Runs the webhook until SIGTERM/SIGINT. */
export async function runWebhook(v: WebhookValues, ctx: CommandContext): Promise<void> {
  const refresherEnv = refresherEnvironment(ctx.env);
  const region = refresherEnv.find((e) => e.name === "AWS_REGION" || e.name === "AWS_DEFAULT_REGION")?.value;
  const defaults: InjectionDefaults = {
    annotationPrefix: v.annotationPrefix,
    image: v.sidecarImage,
    imagePullPolicy: v.sidecarImagePullPolicy,
    mode: v.sidecarMode,
    audience: v.tokenAudience,
    tokenExpirationSeconds: v.tokenExpirationMs / 1000,
    region,
    fsGroup: v.podFsGroup,
    refresherEnv,
    kubernetesEvents: v.injectKubernetesEvents,
    vaultCa: vaultCaSource(refresherEnv, v),
  };
  const serviceAccounts = v.serviceAccountAnnotations ? await kubernetesLookup(v, ctx.env) : undefined;
  const metrics = createWebhookMetrics();
  const server = await startWebhookServer({
    host: v.webhookHost,
    port: v.webhookPort,
    certFile: v.tlsCertFile,
    keyFile: v.tlsKeyFile,
    review: (body) => reviewAdmission(body, { defaults, serviceAccounts }),
    metrics,
    log: ctx.log,
  });
  ctx.log.info(
    {
      url: server.url,
      sidecarImage: v.sidecarImage,
      sidecarMode: v.sidecarMode,
      serviceAccountAnnotations: v.serviceAccountAnnotations,
      refresherSettings: refresherEnv.map((e) => e.name),
    },
    "webhook started",
  );
  await new Promise<void>((resolve) =>
    ctx.signal.aborted ? resolve() : ctx.signal.addEventListener("abort", () => resolve(), { once: true }),
  );
  await server.close();
  ctx.log.info("webhook stopped");
}

async function kubernetesLookup(
  v: WebhookValues,
  env: Record<string, string | undefined>,
): Promise<ServiceAccountLookup> {
  const host = env.KUBERNETES_SERVICE_HOST;
  const apiUrl =
    v.kubernetesApiUrl ??
    (host ? `https://${host.includes(":") ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT ?? "443"}` : undefined);
  if (!apiUrl) {
    throw new ConfigError({
      message: "ServiceAccount annotations need the Kubernetes API, and KUBERNETES_SERVICE_HOST is not set",
      hint: "run the webhook in a pod, set --kubernetes-api-url, or pass --no-service-account-annotations",
    });
  }
  let caPem: string;
  try {
    caPem = await readFile(v.kubernetesCaFile, "utf8");
  } catch (err) {
    throw new ConfigError({
      message: `cannot read the Kubernetes CA bundle ${v.kubernetesCaFile} (${(err as NodeJS.ErrnoException).code})`,
      hint: "mount the service-account token (automountServiceAccountToken) or set --kubernetes-ca-file",
      cause: err,
    });
  }
  return createKubernetesServiceAccountLookup({
    apiUrl,
    caPem,
    readToken: () => readFile(v.kubernetesTokenFile, "utf8"),
    timeoutMs: KUBERNETES_TIMEOUT_MS,
    cacheTtlMs: v.serviceAccountCacheTtlMs,
    clock: systemClock,
  });
}
