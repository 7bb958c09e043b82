import { bindingResources } from "./bindingResources.js";
import { ACCESSOR_PENDING } from "./identityTemplates.js";
import type { VaultConfig } from "./VaultConfig.js";
import type { DesiredResource, DesiredState, Removal } from "./VaultResource.js";

function mountResource(kind: "secrets-mount" | "auth-mount", path: string, type: string, description: string, maxLeaseTtlSec?: number): DesiredResource {
  const fields: DesiredResource["fields"] = { type };
  if (maxLeaseTtlSec !== undefined) fields.max_lease_ttl = maxLeaseTtlSec;
  return { kind, path: `${kind === "auth-mount" ? "sys/auth" : "sys/mounts"}/${path}`, phase: "mounts", fields, createOnly: { description } };
}

function caResources(config: VaultConfig): DesiredResource[] {
  const { pki } = config;
  const int = pki.intermediate;
  const out: DesiredResource[] = [];
  const by = int.signedBy;
  // URLs first: certificates issued after they are set carry them (and Vault stops warning about missing AIA).
  if (pki.urls) {
    out.push({
      kind: "pki-urls",
      path: `${pki.mount}/config/urls`,
      phase: "objects",
      fields: {
        issuing_certificates: pki.urls.issuingCertificates,
        crl_distribution_points: pki.urls.crlDistributionPoints,
        ocsp_servers: pki.urls.ocspServers,
      },
    });
  }
  if (by.type === "mount") {
    out.push({
      kind: "pki-root-ca",
      path: `${by.mount}/cert/ca`,
      phase: "objects",
      fields: {},
      createOnly: { common_name: by.commonName, ttl: by.ttlSec, key_type: by.keyType, key_bits: by.keyBits },
      note: `generate a root CA "${by.commonName}" in ${by.mount} (development only)`,
    });
  }
  out.push({
    kind: "pki-intermediate-ca",
    path: `${pki.mount}/cert/ca`,
    phase: "objects",
    fields: {},
    createOnly: { common_name: int.commonName, ttl: int.ttlSec, key_type: int.keyType, key_bits: int.keyBits },
    note:
      by.type === "mount"
        ? `generate the intermediate key and CSR "${int.commonName}", sign it with ${by.mount}, install it (set-signed with the root)`
        : `generate the intermediate key and CSR "${int.commonName}" (apply prints it); sign it with your root CA, then run apply --signed-intermediate <cert.pem> --root <root.pem>`,
  });
  return out;
}

function kubernetesConfigResource(config: VaultConfig): DesiredResource[] {
  const c = config.kubernetesAuth.config;
  if (!c) return [];
  const fields: DesiredResource["fields"] = {
    kubernetes_host: c.host,
    kubernetes_ca_cert: c.caCert ?? "",
    issuer: c.issuer ?? "",
    disable_iss_validation: c.disableIssValidation,
    disable_local_ca_jwt: c.disableLocalCaJwt,
  };
  const resource: DesiredResource = { kind: "kubernetes-auth-config", path: `auth/${config.kubernetesAuth.mount}/config`, phase: "objects", fields };
  if (c.tokenReviewerJwt) {
    // Vault never returns the JWT, only whether one is set; a changed JWT is therefore invisible to plan.
    fields.token_reviewer_jwt_set = true;
    resource.secrets = { token_reviewer_jwt: c.tokenReviewerJwt };
  }
  return [resource];
}

function removals(config: VaultConfig): Removal[] {
  return [
    ...config.remove.kubernetesRoles.map((n): Removal => ({ kind: "kubernetes-role", path: `auth/${config.kubernetesAuth.mount}/role/${n}` })),
    ...config.remove.pkiRoles.map((n): Removal => ({ kind: "pki-role", path: `${config.pki.mount}/roles/${n}` })),
    ...config.remove.policies.map((n): Removal => ({ kind: "acl-policy", path: `sys/policies/acl/${n}` })),
  ];
}

/**
 * The Vault objects a config wants, in apply order: mounts (phase "mounts"), CAs and URLs, kubernetes auth config, then per
 * binding its policy, PKI role and kubernetes role. `accessor` is the kubernetes auth mount accessor, when known; without it
 * the PKI role templates carry a placeholder (the applier re-plans once the mount exists).
 */
export function buildDesiredState(config: VaultConfig, accessor?: string): DesiredState {
  const { pki, kubernetesAuth } = config;
  const by = pki.intermediate.signedBy;
  const resources: DesiredResource[] = [];
  if (by.type === "mount") resources.push(mountResource("secrets-mount", by.mount, "pki", "iamra-vault: development root CA", by.maxLeaseTtlSec));
  resources.push(mountResource("secrets-mount", pki.mount, "pki", pki.description, pki.maxLeaseTtlSec));
  resources.push(mountResource("auth-mount", kubernetesAuth.mount, "kubernetes", kubernetesAuth.description));
  resources.push(...caResources(config), ...kubernetesConfigResource(config), ...bindingResources(config, accessor ?? ACCESSOR_PENDING));
  return { resources, removals: removals(config) };
}
