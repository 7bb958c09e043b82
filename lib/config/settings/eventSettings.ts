import { setting } from "../setting.js";
import { parseBool, parseNonEmpty, parseUrl } from "../parsers.js";

/** Where the pod's own service-account credentials for the Kubernetes API are mounted by default. */
const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** Kubernetes Events about the pod (init and refresher): which pod, and how to reach the API server. */
export const eventSettings = [
  setting({
    key: "kubernetesEvents",
    flag: "--no-kubernetes-events",
    env: ["IAMRA_KUBERNETES_EVENTS"],
    boolean: true,
    default: true,
    description: "do not write Kubernetes Events about failures and recovery (they need the pod name and an API token)",
    parse: parseBool,
  }),
  setting({
    key: "podName",
    flag: "--pod-name <name>",
    env: ["IAMRA_POD_NAME"],
    description: "the pod's name, from the downward API (metadata.name); without it no Events are written",
    parse: parseNonEmpty,
  }),
  setting({
    key: "podNamespace",
    flag: "--pod-namespace <namespace>",
    env: ["IAMRA_POD_NAMESPACE"],
    description: "the pod's namespace, from the downward API (metadata.namespace)",
    parse: parseNonEmpty,
  }),
  setting({
    key: "podUid",
    flag: "--pod-uid <uid>",
    env: ["IAMRA_POD_UID"],
    description: "the pod's UID, from the downward API (metadata.uid); ties Events to this pod instance",
    parse: parseNonEmpty,
  }),
  setting({
    key: "kubernetesApiUrl",
    flag: "--kubernetes-api-url <url>",
    env: ["IAMRA_KUBERNETES_API_URL"],
    description: "Kubernetes API for Events (default: https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT)",
    parse: parseUrl,
  }),
  setting({
    key: "kubernetesTokenFile",
    flag: "--kubernetes-token-file <file>",
    env: ["IAMRA_KUBERNETES_TOKEN_FILE"],
    default: `${SERVICE_ACCOUNT_DIR}/token`,
    description: "the pod's API token for Events (re-read at every call; needs create and patch on events)",
    parse: parseNonEmpty,
  }),
  setting({
    key: "kubernetesCaFile",
    flag: "--kubernetes-ca-file <file>",
    env: ["IAMRA_KUBERNETES_CA_FILE"],
    default: `${SERVICE_ACCOUNT_DIR}/ca.crt`,
    description: "CA bundle of the Kubernetes API server",
    parse: parseNonEmpty,
  }),
];
