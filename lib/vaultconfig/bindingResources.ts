import { commonNameTemplate, uriSanTemplate } from "../identity/serviceAccountNames.js";
import type { Binding, VaultConfig } from "./VaultConfig.js";
import type { DesiredResource } from "./VaultResource.js";

/**
 * The ACL policy of a binding: update on <pki>/sign/<role> (and issue when allowed) plus token self-management, nothing
 * else.
 */
export function bindingPolicy(pkiMount: string, b: Binding): string {
  const lines = [
    `# Managed by iamra-vault vault-config: binding "${b.name}".`,
    `path "${pkiMount}/sign/${b.certificate.role}" {`,
    `  capabilities = ["update"]`,
    `}`,
  ];
  if (b.certificate.allowIssue)
    lines.push(`path "${pkiMount}/issue/${b.certificate.role}" {`, `  capabilities = ["update"]`, `}`);
  lines.push(
    `path "auth/token/lookup-self" {`,
    `  capabilities = ["read"]`,
    `}`,
    `path "auth/token/renew-self" {`,
    `  capabilities = ["update"]`,
    `}`,
    `path "auth/token/revoke-self" {`,
    `  capabilities = ["update"]`,
    `}`,
  );
  return lines.join("\n") + "\n";
}

/**
 * The PKI role of a binding: client-auth leaf certificates whose only URI SAN is the caller's own SPIFFE ID and whose
 * only
 * name is <sa>.<ns>, both templated from the kubernetes auth alias metadata; not stored, no lease, no IP/other SANs.
 */
export function pkiRoleFields(config: VaultConfig, b: Binding, accessor: string): DesiredResource["fields"] {
  const c = b.certificate;
  return {
    allowed_uri_sans: [uriSanTemplate(config.trustDomain, accessor)],
    allowed_uri_sans_template: true,
    allowed_domains: [commonNameTemplate(accessor)],
    allowed_domains_template: true,
    allow_bare_domains: true,
    allow_subdomains: false,
    allow_glob_domains: false,
    allow_wildcard_certificates: false,
    allow_any_name: false,
    allow_localhost: false,
    allow_ip_sans: false,
    allow_token_displayname: false,
    allowed_other_sans: [],
    enforce_hostnames: false,
    server_flag: false,
    client_flag: true,
    code_signing_flag: false,
    email_protection_flag: false,
    key_type: c.keyType,
    key_bits: c.keyBits,
    key_usage: ["DigitalSignature"],
    ext_key_usage: [],
    ttl: c.ttlSec,
    max_ttl: c.maxTtlSec,
    no_store: true,
    generate_lease: false,
    use_csr_common_name: true,
    use_csr_sans: true,
    require_cn: true,
    issuer_ref: "default",
  };
}

/**
 * The kubernetes auth role of a binding: bound names and namespaces, audience, token TTLs, only the binding's policy.
 */
export function kubernetesRoleFields(b: Binding): DesiredResource["fields"] {
  return {
    bound_service_account_names: [...new Set(b.serviceAccounts.map((s) => s.name))],
    bound_service_account_namespaces: [...new Set(b.serviceAccounts.map((s) => s.namespace))],
    bound_service_account_namespace_selector: "",
    audience: b.vault.audience ?? "",
    alias_name_source: "serviceaccount_uid",
    token_policies: [b.vault.policy],
    token_no_default_policy: true,
    token_ttl: b.vault.tokenTtlSec,
    token_max_ttl: b.vault.tokenMaxTtlSec,
    token_period: 0,
    token_explicit_max_ttl: 0,
    token_bound_cidrs: [],
  };
}

/** Policy, PKI role and kubernetes auth role resources of every binding, in that order per binding. */
export function bindingResources(config: VaultConfig, accessor: string): DesiredResource[] {
  const pki = config.pki.mount;
  const auth = config.kubernetesAuth.mount;
  return config.bindings.flatMap((b): DesiredResource[] => [
    {
      kind: "acl-policy",
      path: `sys/policies/acl/${b.vault.policy}`,
      phase: "objects",
      fields: { policy: bindingPolicy(pki, b) },
    },
    {
      kind: "pki-role",
      path: `${pki}/roles/${b.certificate.role}`,
      phase: "objects",
      fields: pkiRoleFields(config, b, accessor),
    },
    {
      kind: "kubernetes-role",
      path: `auth/${auth}/role/${b.vault.role}`,
      phase: "objects",
      fields: kubernetesRoleFields(b),
    },
  ]);
}
