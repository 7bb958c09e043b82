/**
 * Names, paths and ports of what the webhook injects. They match the hand-written manifests in k8s/examples, so a pod
 * made by the webhook and one written by hand look the same.
 */
import { DEFAULT_PORTS } from "../config/settings/refresherSettings.js";

/** The refresher container (native sidecar or classic sidecar). */
export const REFRESHER_CONTAINER = "iamra-vault";
/** The init container that obtains credentials once (init + sidecar mode only). */
export const INIT_CONTAINER = "iamra-vault-init";
/** The shared in-memory emptyDir: credentials outputs and the endpoint token. */
export const SHARED_VOLUME = "iamra-vault";
/** The projected service-account token with the Vault audience, mounted only into iamra-vault containers. */
export const TOKEN_VOLUME = "iamra-vault-token";
/** Mount path of the shared volume (the refresher's --output-dir). */
export const SHARED_DIR = "/var/run/iamra";
/** Mount path of the token volume. */
export const TOKEN_DIR = "/var/run/secrets/iamra";
/**
 * The pod's own API token (default audience), CA bundle and namespace, mounted only into iamra-vault containers so
 * they can write Kubernetes Events about the pod; the same layout the kubelet uses for the automounted token.
 */
export const KUBE_API_VOLUME = "iamra-vault-kube-api";
/** Mount path of the API token volume (the default of --kubernetes-token-file and --kubernetes-ca-file). */
export const KUBE_API_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
/** Lifetime the kubelet gives the automounted token, seconds (it refreshes it well before). */
export const KUBE_API_TOKEN_SECONDS = 3607;
/** The ConfigMap volume with the CA that signed Vault's certificate (when the webhook is told its name). */
export const VAULT_CA_VOLUME = "iamra-vault-vault-ca";
/** Mount path of the Vault CA volume. */
export const VAULT_CA_DIR = "/var/run/secrets/iamra-vault-ca";
/** The Vault CA file the injected containers get in VAULT_CACERT. */
export const VAULT_CA_FILE = `${VAULT_CA_DIR}/ca.crt`;
/** The Vault-audience token file the refresher logs in with. */
export const TOKEN_FILE = `${TOKEN_DIR}/token`;
/** The endpoint's authorization token file, readable by the app through the pod's fsGroup. */
export const ENDPOINT_TOKEN_FILE = `${SHARED_DIR}/endpoint-token`;
/** Port of the container credentials endpoint on 127.0.0.1 (the refresher's default). */
export const ENDPOINT_PORT = DEFAULT_PORTS.endpoint;
/** Port of the refresher's /healthz, /readyz and /metrics (its default). */
export const OPS_PORT = DEFAULT_PORTS.ops;
/** Port of the IMDSv2 emulation on 127.0.0.1 (its default). */
export const IMDS_PORT = DEFAULT_PORTS.imds;
/** What app containers get in AWS_CONTAINER_CREDENTIALS_FULL_URI (older botocore accepts only the host 127.0.0.1). */
export const ENDPOINT_URL = `http://127.0.0.1:${ENDPOINT_PORT}/credentials`;
/** What app containers get in AWS_EC2_METADATA_SERVICE_ENDPOINT when IMDS emulation is asked for. */
export const IMDS_URL = `http://127.0.0.1:${IMDS_PORT}/`;
