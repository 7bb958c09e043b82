import { setting } from "../setting.js";
import { enumParser, intParser, parseBool, parseDurationMs, parseNonEmpty, parsePort, parseUrl } from "../parsers.js";

/** Kubernetes requires a projected token to live at least 10 minutes. */
const MIN_TOKEN_MS = 10 * 60_000;

function parseTokenExpirationMs(raw: string): number {
  const ms = parseDurationMs(raw);
  if (ms < MIN_TOKEN_MS || ms % 1000 !== 0) throw new Error(`"${raw}" must be whole seconds, at least 10m`);
  return ms;
}

function parseAnnotationPrefix(raw: string): string {
  const v = raw.trim();
  if (!/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/.test(v))
    throw new Error(`"${raw}" is not a DNS subdomain (e.g. iamra-vault)`);
  return v;
}

/** Settings of `iamra-vault webhook`: serving, what it injects, and where it reads ServiceAccounts. */
export const webhookSettings = [
  setting({
    key: "tlsCertFile",
    flag: "--tls-cert-file <file>",
    env: ["IAMRA_WEBHOOK_TLS_CERT_FILE"],
    required: true,
    description: "PEM serving certificate (leaf first), reloaded when the file changes",
    parse: parseNonEmpty,
    mustExist: "file",
  }),
  setting({
    key: "tlsKeyFile",
    flag: "--tls-key-file <file>",
    env: ["IAMRA_WEBHOOK_TLS_KEY_FILE"],
    required: true,
    description: "PEM private key of the serving certificate, reloaded when the file changes",
    parse: parseNonEmpty,
    mustExist: "file",
  }),
  setting({
    key: "webhookHost",
    flag: "--host <ip>",
    env: ["IAMRA_WEBHOOK_HOST"],
    default: "0.0.0.0",
    description: "address the HTTPS server listens on (/mutate, /healthz, /readyz, /metrics)",
    parse: parseNonEmpty,
  }),
  setting({
    key: "webhookPort",
    flag: "--port <port>",
    env: ["IAMRA_WEBHOOK_PORT"],
    default: 8443,
    description: "port the HTTPS server listens on",
    parse: parsePort,
  }),
  setting({
    key: "sidecarImage",
    flag: "--sidecar-image <image>",
    env: ["IAMRA_WEBHOOK_SIDECAR_IMAGE"],
    required: true,
    description: "iamra-vault image injected into pods (pin a tag or digest)",
    parse: parseNonEmpty,
  }),
  setting({
    key: "sidecarImagePullPolicy",
    flag: "--sidecar-image-pull-policy <policy>",
    env: ["IAMRA_WEBHOOK_SIDECAR_IMAGE_PULL_POLICY"],
    description: "imagePullPolicy of the injected containers (Always, IfNotPresent, Never); default: the cluster's",
    parse: enumParser(["Always", "IfNotPresent", "Never"] as const),
  }),
  setting({
    key: "sidecarMode",
    flag: "--sidecar-mode <mode>",
    env: ["IAMRA_WEBHOOK_SIDECAR_MODE"],
    default: "native" as const,
    description:
      "native: refresher as a native sidecar (Kubernetes >= 1.29); init-and-sidecar: init container + classic sidecar",
    parse: enumParser(["native", "init-and-sidecar"] as const),
  }),
  setting({
    key: "annotationPrefix",
    flag: "--annotation-prefix <prefix>",
    env: ["IAMRA_WEBHOOK_ANNOTATION_PREFIX"],
    default: "iamra-vault",
    description: "prefix of the annotations pods and ServiceAccounts opt in with (<prefix>/inject)",
    parse: parseAnnotationPrefix,
  }),
  setting({
    key: "tokenAudience",
    flag: "--token-audience <audience>",
    env: ["IAMRA_WEBHOOK_TOKEN_AUDIENCE"],
    default: "vault",
    description: "audience of the projected service-account token (the Vault kubernetes auth role's audience)",
    parse: parseNonEmpty,
  }),
  setting({
    key: "tokenExpirationMs",
    flag: "--token-expiration <duration>",
    env: ["IAMRA_WEBHOOK_TOKEN_EXPIRATION"],
    default: MIN_TOKEN_MS,
    defaultText: "10m",
    description: "lifetime of the projected token (at least 10m; the kubelet rotates it at 80%)",
    parse: parseTokenExpirationMs,
  }),
  setting({
    key: "podFsGroup",
    flag: "--pod-fs-group <gid>",
    env: ["IAMRA_WEBHOOK_POD_FS_GROUP"],
    default: 65532,
    description: "fsGroup set on pods that have none, so app containers can read the endpoint token (mode 0640)",
    parse: intParser(1, 2_147_483_647),
  }),
  setting({
    key: "injectKubernetesEvents",
    flag: "--no-kubernetes-events",
    env: ["IAMRA_WEBHOOK_KUBERNETES_EVENTS"],
    boolean: true,
    default: true,
    description:
      "do not mount the pod's API token into injected iamra-vault containers (they then write no Kubernetes Events)",
    parse: parseBool,
  }),
  setting({
    key: "vaultCaConfigMap",
    flag: "--vault-ca-configmap <name>",
    env: ["IAMRA_WEBHOOK_VAULT_CA_CONFIGMAP"],
    description:
      "ConfigMap (in each pod's namespace) with the CA of Vault's certificate, mounted into iamra-vault containers " +
      "as their VAULT_CACERT; required when the settings name VAULT_CACERT",
    parse: parseNonEmpty,
  }),
  setting({
    key: "vaultCaKey",
    flag: "--vault-ca-key <key>",
    env: ["IAMRA_WEBHOOK_VAULT_CA_KEY"],
    default: "ca.crt",
    description: "key of the PEM bundle in the --vault-ca-configmap ConfigMap",
    parse: parseNonEmpty,
  }),
  setting({
    key: "serviceAccountAnnotations",
    flag: "--no-service-account-annotations",
    env: ["IAMRA_WEBHOOK_SERVICE_ACCOUNT_ANNOTATIONS"],
    boolean: true,
    default: true,
    description: "read only pod annotations (no Kubernetes API access needed)",
    parse: parseBool,
  }),
  setting({
    key: "kubernetesApiUrl",
    flag: "--kubernetes-api-url <url>",
    env: ["IAMRA_WEBHOOK_KUBERNETES_API_URL"],
    description: "Kubernetes API for ServiceAccount annotations (default: from $KUBERNETES_SERVICE_HOST and _PORT)",
    parse: parseUrl,
  }),
  setting({
    key: "kubernetesTokenFile",
    flag: "--kubernetes-token-file <file>",
    env: ["IAMRA_WEBHOOK_KUBERNETES_TOKEN_FILE"],
    default: "/var/run/secrets/kubernetes.io/serviceaccount/token",
    description: "bearer token for the Kubernetes API (re-read at every call)",
    parse: parseNonEmpty,
  }),
  setting({
    key: "kubernetesCaFile",
    flag: "--kubernetes-ca-file <file>",
    env: ["IAMRA_WEBHOOK_KUBERNETES_CA_FILE"],
    default: "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt",
    description: "CA bundle of the Kubernetes API server",
    parse: parseNonEmpty,
  }),
  setting({
    key: "serviceAccountCacheTtlMs",
    flag: "--service-account-cache-ttl <duration>",
    env: ["IAMRA_WEBHOOK_SERVICE_ACCOUNT_CACHE_TTL"],
    default: 30_000,
    defaultText: "30s",
    description: "how long ServiceAccount annotations read from the API are reused",
    parse: parseDurationMs,
  }),
];
