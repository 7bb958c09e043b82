import type { ServiceAccountRef } from "./VaultConfig.js";

/** Shown in plans in place of the kubernetes auth mount accessor before the mount exists. */
export const ACCESSOR_PENDING = "<accessor: known after apply>";

function aliasMetadata(accessor: string, key: "service_account_namespace" | "service_account_name"): string {
  return `{{identity.entity.aliases.${accessor}.metadata.${key}}}`;
}

/** The SPIFFE ID of one service account: spiffe://<trustDomain>/ns/<namespace>/sa/<name>. */
export function spiffeIdOf(trustDomain: string, sa: ServiceAccountRef): string {
  return `spiffe://${trustDomain}/ns/${sa.namespace}/sa/${sa.name}`;
}

/** The certificate CN the pipeline requests for a service account: <name>.<namespace>. */
export function commonNameOf(sa: ServiceAccountRef): string {
  return `${sa.name}.${sa.namespace}`;
}

/**
 * The PKI role's allowed_uri_sans template: the same SPIFFE ID shape, filled by Vault from the kubernetes auth alias
 * metadata of the calling token's entity (vault-api-facts §8), so a token can only name its own service account.
 */
export function uriSanTemplate(trustDomain: string, accessor: string): string {
  return `spiffe://${trustDomain}/ns/${aliasMetadata(accessor, "service_account_namespace")}/sa/${aliasMetadata(accessor, "service_account_name")}`;
}

/** The PKI role's allowed_domains template binding the CN to <sa>.<ns> of the calling token. */
export function commonNameTemplate(accessor: string): string {
  return `${aliasMetadata(accessor, "service_account_name")}.${aliasMetadata(accessor, "service_account_namespace")}`;
}
