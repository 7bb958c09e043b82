/**
 * The naming contract between a pod and Vault's PKI role: the certificate the pipeline requests for a service account
 * (CN and SPIFFE URI SAN) and the templates `vault-config` writes into the PKI role's allowed_domains and
 * allowed_uri_sans. Both are built from the same two shape functions below, so they cannot drift apart; when they did,
 * Vault would refuse every CSR.
 */

/** A Kubernetes service account, by namespace and name. */
export interface ServiceAccountName {
  namespace: string;
  name: string;
}

/** The SPIFFE ID shape: spiffe://<trustDomain>/ns/<namespace>/sa/<name>. */
function spiffeIdShape(trustDomain: string, namespace: string, name: string): string {
  return `spiffe://${trustDomain}/ns/${namespace}/sa/${name}`;
}

/** The certificate CN shape: <name>.<namespace>. */
function commonNameShape(namespace: string, name: string): string {
  return `${name}.${namespace}`;
}

/** Vault's identity template for one kubernetes-auth alias metadata field of the calling token's entity. */
function aliasMetadata(accessor: string, key: "service_account_namespace" | "service_account_name"): string {
  return `{{identity.entity.aliases.${accessor}.metadata.${key}}}`;
}

/** The SPIFFE ID of one service account, requested as the certificate's URI SAN. */
export function spiffeIdOf(trustDomain: string, sa: ServiceAccountName): string {
  return spiffeIdShape(trustDomain, sa.namespace, sa.name);
}

/** The certificate CN requested for one service account: <name>.<namespace>. */
export function commonNameOf(sa: ServiceAccountName): string {
  return commonNameShape(sa.namespace, sa.name);
}

/**
 * The PKI role's allowed_uri_sans template: the SPIFFE ID filled by Vault from the kubernetes auth alias metadata of
 * the calling token's entity (mount accessor `accessor`), so a token can only name its own service account.
 */
export function uriSanTemplate(trustDomain: string, accessor: string): string {
  const namespace = aliasMetadata(accessor, "service_account_namespace");
  return spiffeIdShape(trustDomain, namespace, aliasMetadata(accessor, "service_account_name"));
}

/** The PKI role's allowed_domains template binding the CN to <name>.<namespace> of the calling token. */
export function commonNameTemplate(accessor: string): string {
  const namespace = aliasMetadata(accessor, "service_account_namespace");
  return commonNameShape(namespace, aliasMetadata(accessor, "service_account_name"));
}
