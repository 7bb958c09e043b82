/** The iamra-vault containers the webhook adds: the refresher (native or classic sidecar) and init. */
import type { InjectionConfig } from "./parseInjectionConfig.js";
import {
  ENDPOINT_PORT,
  ENDPOINT_TOKEN_FILE,
  IMDS_PORT,
  INIT_CONTAINER,
  KUBE_API_DIR,
  KUBE_API_VOLUME,
  OPS_PORT,
  REFRESHER_CONTAINER,
  SHARED_DIR,
  SHARED_VOLUME,
  TOKEN_DIR,
  TOKEN_FILE,
  TOKEN_VOLUME,
  VAULT_CA_DIR,
  VAULT_CA_VOLUME,
} from "./injectionLayout.js";
import type { Container, EnvVar } from "./podTypes.js";

/** UID and GID of the iamra-vault containers (the image's non-root user). */
export const IAMRA_VAULT_UID = 65532;

/**
 * Requests and limits of the refresher. Measured on Node 24 with REFRESHER_NODE_OPTIONS over 1,000 refreshes (2 s
 * sessions) under endpoint load (bench/refresherRss.bench.ts --refreshes 1000): 68.4 MiB RSS steady and peak. The
 * request covers the steady RSS; the limit leaves ~59 MiB above the peak. CPU is 8.5 ms per refresh with the
 * certificate reused.
 */
export const REFRESHER_RESOURCES = {
  requests: { cpu: "10m", memory: "96Mi" },
  limits: { cpu: "200m", memory: "128Mi" },
};

/**
 * NODE_OPTIONS of the refresher container only: the image's `--max-semi-space-size=1` plus `--jitless` (no JIT and no
 * WebAssembly, which the refresher does not use). Node 24, 1,000 refreshes (2 s sessions) under endpoint load: 68.4 MiB
 * RSS, peak 68.4 (~91 MiB without it), at the same 7.5 ms CPU per refresh (`npx tsx bench/refresherRss.bench.ts
 * --node <node 24> --node-options "--max-semi-space-size=1 --jitless" --refreshes 1000`). Not for short-lived
 * commands: it slows every start by 5-12 ms.
 */
export const REFRESHER_NODE_OPTIONS = "--max-semi-space-size=1 --jitless";

/**
 * Requests and limits of the init container of init + sidecar mode. One `init` on Node 24 with the image's
 * NODE_OPTIONS peaks at 75 MiB RSS (bench/init.bench.ts, /usr/bin/time); the request covers it, the limit leaves
 * ~50 MiB above it.
 */
export const INIT_RESOURCES = {
  requests: { cpu: "10m", memory: "96Mi" },
  limits: { cpu: "200m", memory: "128Mi" },
};

/** A security context that passes Pod Security "restricted" and keeps the root filesystem read-only. */
export function restrictedSecurityContext(): Record<string, unknown> {
  return {
    runAsNonRoot: true,
    runAsUser: IAMRA_VAULT_UID,
    runAsGroup: IAMRA_VAULT_UID,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

function mounts(config: InjectionConfig) {
  return [
    { name: SHARED_VOLUME, mountPath: SHARED_DIR },
    { name: TOKEN_VOLUME, mountPath: TOKEN_DIR, readOnly: true },
    ...(config.kubernetesEvents ? [{ name: KUBE_API_VOLUME, mountPath: KUBE_API_DIR, readOnly: true }] : []),
    ...(config.vaultCa ? [{ name: VAULT_CA_VOLUME, mountPath: VAULT_CA_DIR, readOnly: true }] : []),
  ];
}

/** The pod's name, namespace and UID from the downward API: what Kubernetes Events are about. */
function podIdentityEnv(config: InjectionConfig): EnvVar[] {
  if (!config.kubernetesEvents) return [];
  const field = (name: string, fieldPath: string): EnvVar => ({
    name,
    valueFrom: { fieldRef: { apiVersion: "v1", fieldPath } },
  });
  return [
    field("IAMRA_POD_NAME", "metadata.name"),
    field("IAMRA_POD_NAMESPACE", "metadata.namespace"),
    field("IAMRA_POD_UID", "metadata.uid"),
  ];
}

function base(config: InjectionConfig, name: string, args: string[], resources: typeof INIT_RESOURCES): Container {
  return {
    name,
    image: config.image,
    ...(config.imagePullPolicy ? { imagePullPolicy: config.imagePullPolicy } : {}),
    args,
    env: [...config.refresherEnv.map((e) => ({ ...e })), ...podIdentityEnv(config)],
    resources: structuredClone(resources),
    securityContext: restrictedSecurityContext(),
    volumeMounts: mounts(config),
  };
}

/**
 * The refresher's arguments: the layout's paths and ports. Native mode writes no credentials file (the app uses the
 * endpoint); in init + sidecar mode the init container has written one, and the refresher keeps it fresh rather than
 * leaving expired keys in the shared volume.
 */
export function refresherArgs(config: InjectionConfig): string[] {
  return [
    "refresher",
    `--sa-token-file=${TOKEN_FILE}`,
    `--output-dir=${SHARED_DIR}`,
    `--endpoint-port=${ENDPOINT_PORT}`,
    `--endpoint-token-file=${ENDPOINT_TOKEN_FILE}`,
    `--ops-port=${OPS_PORT}`,
    ...(config.mode === "native" ? ["--no-write-credentials"] : []),
    ...(config.imds === "off" ? [] : ["--imds", `--imds-port=${IMDS_PORT}`]),
  ];
}

/**
 * The refresher. Native (an init container with restartPolicy Always): the kubelet starts the app only after the
 * startupProbe on /readyz passes, i.e. once credentials are held. Classic: a regular container listed first; the init
 * container has already written credentials it adopts. No readinessProbe: a Vault outage must not take every replica
 * out of its Service while the credentials served are still valid.
 */
export function buildRefresherContainer(config: InjectionConfig): Container {
  const c = base(config, REFRESHER_CONTAINER, refresherArgs(config), REFRESHER_RESOURCES);
  c.env = [...(c.env ?? []), { name: "NODE_OPTIONS", value: REFRESHER_NODE_OPTIONS }];
  c.ports = [{ name: "iamra-ops", containerPort: OPS_PORT }];
  c.livenessProbe = {
    httpGet: { path: "/healthz", port: OPS_PORT },
    periodSeconds: 20,
    timeoutSeconds: 2,
    failureThreshold: 3,
  };
  if (config.mode === "native") {
    c.restartPolicy = "Always";
    c.startupProbe = {
      httpGet: { path: "/readyz", port: OPS_PORT },
      periodSeconds: 2,
      timeoutSeconds: 2,
      failureThreshold: 90,
    };
  }
  return c;
}

/** The init container of init + sidecar mode: obtains credentials once, so the app never starts without them. */
export function buildInitContainer(config: InjectionConfig): Container {
  const args = ["init", `--sa-token-file=${TOKEN_FILE}`, `--output-dir=${SHARED_DIR}`];
  return base(config, INIT_CONTAINER, args, INIT_RESOURCES);
}
