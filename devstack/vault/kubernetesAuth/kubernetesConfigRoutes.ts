import { X509Certificate } from "node:crypto";
import type { Route, VaultRequest, VaultResponse } from "../http/vaultTypes.js";
import { VaultHttpError } from "../http/VaultHttpError.js";
import type { KubernetesAuthState } from "./KubernetesAuthState.js";

/** Where the plugin looks for the pod's CA certificate when kubernetes_ca_cert is not given. */
const LOCAL_CA_PATH = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";

function writeConfig(st: KubernetesAuthState, req: VaultRequest): null {
  const f = req.fields;
  const host = String(f["kubernetes_host"] ?? "");
  if (!host) throw VaultHttpError.badRequest("no host provided");
  const ca = String(f["kubernetes_ca_cert"] ?? "");
  const disableLocalCaJwt = (f["disable_local_ca_jwt"] as boolean | undefined) ?? false;
  // The stand-in never runs in a pod: like OpenBao outside Kubernetes, it has no local CA file to fall back on.
  if (!ca && disableLocalCaJwt) {
    throw VaultHttpError.badRequest("kubernetes_ca_cert must be given when disable_local_ca_jwt is true");
  }
  if (!ca) throw VaultHttpError.badRequest(`open ${LOCAL_CA_PATH}: no such file or directory`);
  const blocks = ca.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const valid = blocks.filter((b) => {
    try {
      return !!new X509Certificate(b);
    } catch {
      return false; // unparsable blocks are dropped, as x509.CertPool.AppendCertsFromPEM does
    }
  });
  if (valid.length === 0) throw VaultHttpError.badRequest("The provided CA PEM data contains no valid certificates");
  st.config = {
    kubernetes_host: host,
    kubernetes_ca_cert: ca,
    token_reviewer_jwt: String(f["token_reviewer_jwt"] ?? ""),
    pem_keys: (f["pem_keys"] as string[] | undefined) ?? [],
    issuer: String(f["issuer"] ?? ""),
    disable_iss_validation: (f["disable_iss_validation"] as boolean | undefined) ?? true,
    disable_local_ca_jwt: disableLocalCaJwt,
    use_annotations_as_alias_metadata: (f["use_annotations_as_alias_metadata"] as boolean | undefined) ?? false,
  };
  return null;
}

function readConfig(st: KubernetesAuthState): VaultResponse {
  const c = st.config;
  if (!c) throw VaultHttpError.notFound();
  return {
    data: {
      kubernetes_host: c.kubernetes_host,
      kubernetes_ca_cert: c.kubernetes_ca_cert,
      pem_keys: c.pem_keys,
      issuer: c.issuer,
      disable_iss_validation: c.disable_iss_validation,
      disable_local_ca_jwt: c.disable_local_ca_jwt,
      token_reviewer_jwt_set: c.token_reviewer_jwt !== "",
      use_annotations_as_alias_metadata: c.use_annotations_as_alias_metadata,
    },
  };
}

/** `config` of the kubernetes auth method (path_config.go): write gives 204, read hides the reviewer JWT. */
export function kubernetesConfigRoutes(st: KubernetesAuthState): Route[] {
  return [
    {
      pattern: /^config$/,
      fields: {
        kubernetes_host: "string",
        kubernetes_ca_cert: "string",
        token_reviewer_jwt: "string",
        pem_keys: "commaList",
        issuer: "string",
        disable_iss_validation: "bool",
        disable_local_ca_jwt: "bool",
        use_annotations_as_alias_metadata: "bool",
      },
      ops: { read: () => readConfig(st), update: (r) => writeConfig(st, r) },
    },
  ];
}
