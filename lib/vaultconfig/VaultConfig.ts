/**
 * The vault-config file after validation (durations in seconds, defaults filled in, referenced files read).
 * The YAML form is documented in vault-config/README.md; parseVaultConfig turns one into the other.
 */

/** Key type of a CA or of the leaf keys a PKI role accepts ("any" only for leaf roles, sign endpoint). */
export type KeyType = "ec" | "rsa";

/** The kubernetes auth method: mount and (optionally) its config. */
export interface KubernetesAuthConfig {
  /** Mount path without "auth/" (default "kubernetes"). */
  mount: string;
  description: string;
  /** auth/<mount>/config; undefined leaves the config alone. */
  config?: {
    host: string;
    caCert?: string;
    issuer?: string;
    disableIssValidation: boolean;
    disableLocalCaJwt: boolean;
    /** Secret; written, never read back (Vault only reports token_reviewer_jwt_set). */
    tokenReviewerJwt?: string;
  };
}

/** Who signs the intermediate: an external root (offline CA, AWS Private CA) or a root mount in the same Vault. */
export type SignedBy =
  | { type: "external" }
  | {
      type: "mount";
      mount: string;
      commonName: string;
      ttlSec: number;
      maxLeaseTtlSec: number;
      keyType: KeyType;
      keyBits: number;
    };

/** The PKI intermediate mount and its CA. */
export interface PkiConfig {
  mount: string;
  description: string;
  maxLeaseTtlSec: number;
  intermediate: { commonName: string; keyType: KeyType; keyBits: number; ttlSec: number; signedBy: SignedBy };
  /** pki/config/urls; undefined leaves it alone. */
  urls?: { issuingCertificates: string[]; crlDistributionPoints: string[]; ocspServers: string[] };
}

/** One Kubernetes service account (namespace + name). */
export interface ServiceAccountRef {
  namespace: string;
  name: string;
}

/** Service accounts mapped to one AWS role: a PKI role, an ACL policy and a kubernetes auth role. */
export interface Binding {
  name: string;
  serviceAccounts: ServiceAccountRef[];
  /** The IAM role the binding's pods assume (export: profile roleArns, CloudFormation). */
  awsRoleArn?: string;
  certificate: {
    role: string;
    keyType: KeyType | "any";
    keyBits: number;
    ttlSec: number;
    maxTtlSec: number;
    allowIssue: boolean;
  };
  vault: { role: string; policy: string; audience?: string; tokenTtlSec: number; tokenMaxTtlSec: number };
}

/** Objects to delete (nothing is deleted unless listed here). */
export interface Removals {
  pkiRoles: string[];
  policies: string[];
  kubernetesRoles: string[];
}

/** What export writes besides the trust policies. */
export interface ExportConfig {
  trustAnchorName: string;
  profileName: string;
  profileDurationSeconds: number;
}

/** The whole validated config. */
export interface VaultConfig {
  /** SPIFFE trust domain, e.g. "cluster.local". */
  trustDomain: string;
  kubernetesAuth: KubernetesAuthConfig;
  pki: PkiConfig;
  bindings: Binding[];
  remove: Removals;
  export: ExportConfig;
}
