import { bindingResources } from "./bindingResources.js";
import { ACCESSOR_PENDING } from "./identityTemplates.js";
import type { KeyType, VaultConfig } from "./VaultConfig.js";
import type { DesiredResource, DesiredState, Removal } from "./VaultResource.js";

function mountResource(
  kind: "secrets-mount" | "auth-mount",
  path: string,
  type: string,
  description: string,
  maxLeaseTtlSec?: number,
): DesiredResource {
  const fields: DesiredResource["fields"] = { type };
  if (maxLeaseTtlSec !== undefined) fields.max_lease_ttl = maxLeaseTtlSec;
  return {
    kind,
    path: `${kind === "auth-mount" ? "sys/auth" : "sys/mounts"}/${path}`,
    phase: "mounts",
    fields,
    createOnly: { description },
  };
}

/** A CA whose key Vault generates in `mount`: created once with its name, lifetime and key (never updated). */
function generatedCa(
  kind: "pki-root-ca" | "pki-intermediate-ca",
  mount: string,
  ca: { commonName: string; ttlSec: number; keyType: KeyType; keyBits: number },
  note: string,
): DesiredResource {
  const createOnly = { common_name: ca.commonName, ttl: ca.ttlSec, key_type: ca.keyType, key_bits: ca.keyBits };
  return { kind, path: `${mount}/cert/ca`, phase: "objects", fields: {}, createOnly, note };
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
    const note = `generate a root CA "${by.commonName}" in ${by.mount} (development only)`;
    out.push(generatedCa("pki-root-ca", by.mount, by, note));
  }
  const csr = `generate the intermediate key and CSR "${int.commonName}"`;
  const note =
    by.type === "mount"
      ? `${csr}, sign it with ${by.mount}, install it (set-signed with the root)`
      : `${csr} (apply prints it); sign it with your root CA, ` +
        "then run apply --signed-intermediate <cert.pem> --root <root.pem>";
  out.push(generatedCa("pki-intermediate-ca", pki.mount, int, note));
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
  const resource: DesiredResource = {
    kind: "kubernetes-auth-config",
    path: `auth/${config.kubernetesAuth.mount}/config`,
    phase: "objects",
    fields,
  };
  if (c.tokenReviewerJwt) {
    // Vault never returns the JWT, only whether one is set; a changed JWT is therefore invisible to plan.
    fields.token_reviewer_jwt_set = true;
    resource.secrets = { token_reviewer_jwt: c.tokenReviewerJwt };
  }
  return [resource];
}

function removals(config: VaultConfig): Removal[] {
  return [
    ...config.remove.kubernetesRoles.map((n): Removal => ({
      kind: "kubernetes-role",
      path: `auth/${config.kubernetesAuth.mount}/role/${n}`,
    })),
    ...config.remove.pkiRoles.map((n): Removal => ({ kind: "pki-role", path: `${config.pki.mount}/roles/${n}` })),
    ...config.remove.policies.map((n): Removal => ({ kind: "acl-policy", path: `sys/policies/acl/${n}` })),
  ];
}

/**
 * The Vault objects a config wants, in apply order: mounts (phase "mounts"), CAs and URLs, kubernetes auth config, then
 * per
 * binding its policy, PKI role and kubernetes role. `accessor` is the kubernetes auth mount accessor, when known;
 * without it
 * the PKI role templates carry a placeholder (the applier re-plans once the mount exists).
 */
export function buildDesiredState(config: VaultConfig, accessor?: string): DesiredState {
  const { pki, kubernetesAuth } = config;
  const by = pki.intermediate.signedBy;
  const resources: DesiredResource[] = [];
  if (by.type === "mount")
    resources.push(
      mountResource("secrets-mount", by.mount, "pki", "iamra-vault: development root CA", by.maxLeaseTtlSec),
    );
  resources.push(mountResource("secrets-mount", pki.mount, "pki", pki.description, pki.maxLeaseTtlSec));
  resources.push(mountResource("auth-mount", kubernetesAuth.mount, "kubernetes", kubernetesAuth.description));
  resources.push(
    ...caResources(config),
    ...kubernetesConfigResource(config),
    ...bindingResources(config, accessor ?? ACCESSOR_PENDING),
  );
  return { resources, removals: removals(config) };
}
