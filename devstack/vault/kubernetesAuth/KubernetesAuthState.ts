/** `auth/<mount>/config` of the kubernetes auth method (path_config.go). */
export interface KubeConfig {
  kubernetes_host: string;
  kubernetes_ca_cert: string;
  token_reviewer_jwt: string;
  pem_keys: string[];
  issuer: string;
  disable_iss_validation: boolean;
  disable_local_ca_jwt: boolean;
  use_annotations_as_alias_metadata: boolean;
}

/** A kubernetes auth role (path_role.go), TTLs in seconds. */
export interface KubeRole {
  bound_service_account_names: string[];
  bound_service_account_namespaces: string[];
  bound_service_account_namespace_selector: string;
  audience: string;
  alias_name_source: "serviceaccount_uid" | "serviceaccount_name";
  token_policies: string[];
  token_ttl: number;
  token_max_ttl: number;
  token_period: number;
  token_num_uses: number;
  token_bound_cidrs: string[];
  token_explicit_max_ttl: number;
  token_no_default_policy: boolean;
  token_type: string;
}

/** State of one kubernetes auth mount. */
export class KubernetesAuthState {
  config: KubeConfig | undefined;
  readonly roles = new Map<string, KubeRole>();
}
