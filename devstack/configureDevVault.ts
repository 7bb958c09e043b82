import type { VaultClient } from "../lib/vault/VaultClient.js";

/** What the development Vault setup created. */
export interface DevVaultSetup {
  pkiMount: string;
  pkiRole: string;
  kubernetesAuthMount: string;
  kubernetesAuthAccessor: string;
  vaultRole: string;
  trustDomain: string;
  /** The root CA (Roles Anywhere trust anchor). */
  rootCaPem: string;
  namespace: string;
  serviceAccount: string;
}

/**
 * Sets up the devstack Vault for the pod-like flow: a root mount signs an intermediate mount, kubernetes auth verifies
 * tokens through the TokenReview stand-in, and one identity-bound PKI role lets service account demo/app get a certificate
 * naming only itself.
 */
export async function configureDevVault(
  vault: VaultClient,
  k8s: { tokenReviewUrl: string; reviewerJwt: string },
): Promise<DevVaultSetup> {
  const trustDomain = "cluster.local";
  const [pkiRoot, pki, auth, role, policy] = ["pki-root", "pki", "kubernetes", "demo-app", "iamra-demo-app"] as const;
  await vault.write(`sys/mounts/${pkiRoot}`, { type: "pki", config: { max_lease_ttl: "87600h" } });
  const root = await vault.write(`${pkiRoot}/root/generate/internal`, { common_name: "iamra-vault devstack root CA", ttl: "87600h", key_type: "ec", key_bits: 256 });
  const rootCaPem = String((root?.data as Record<string, unknown>).certificate);
  await vault.write(`sys/mounts/${pki}`, { type: "pki", config: { max_lease_ttl: "43800h" } });
  const csr = await vault.write(`${pki}/intermediate/generate/internal`, { common_name: "iamra-vault devstack intermediate CA", key_type: "ec", key_bits: 256 });
  const signed = await vault.write(`${pkiRoot}/root/sign-intermediate`, {
    csr: (csr?.data as Record<string, unknown>).csr,
    format: "pem_bundle",
    ttl: "43800h",
  });
  await vault.write(`${pki}/intermediate/set-signed`, { certificate: (signed?.data as Record<string, unknown>).certificate });
  await vault.write(`sys/auth/${auth}`, { type: "kubernetes" });
  const mounts = await vault.read("sys/auth");
  const accessor = String(((mounts?.data as Record<string, Record<string, unknown>>)[`${auth}/`] ?? {}).accessor);
  await vault.write(`auth/${auth}/config`, { kubernetes_host: k8s.tokenReviewUrl, token_reviewer_jwt: k8s.reviewerJwt });
  const meta = (key: string) => `{{identity.entity.aliases.${accessor}.metadata.${key}}}`;
  await vault.write(`${pki}/roles/${role}`, {
    allowed_uri_sans: `spiffe://${trustDomain}/ns/${meta("service_account_namespace")}/sa/${meta("service_account_name")}`,
    allowed_uri_sans_template: true,
    allowed_domains: `${meta("service_account_name")}.${meta("service_account_namespace")}`,
    allowed_domains_template: true,
    allow_bare_domains: true,
    allow_subdomains: false,
    enforce_hostnames: false,
    client_flag: true,
    server_flag: false,
    key_type: "ec", // P-256 leaves; "any" would let pki/issue fail (Vault cannot generate an "any" key)
    key_bits: 256,
    ttl: "1h",
    max_ttl: "24h",
    no_store: true,
  });
  await vault.write(`sys/policies/acl/${policy}`, {
    // sign is the default path (the key stays in the pod); issue is allowed too so that --pki-mode issue can be tried
    policy: `path "${pki}/sign/${role}" {\n  capabilities = ["update"]\n}\npath "${pki}/issue/${role}" {\n  capabilities = ["update"]\n}\n`,
  });
  await vault.write(`auth/${auth}/role/${role}`, {
    bound_service_account_names: "app",
    bound_service_account_namespaces: "demo",
    token_policies: policy,
    token_ttl: "1h",
  });
  return {
    pkiMount: pki,
    pkiRole: role,
    kubernetesAuthMount: auth,
    kubernetesAuthAccessor: accessor,
    vaultRole: role,
    trustDomain,
    rootCaPem,
    namespace: "demo",
    serviceAccount: "app",
  };
}
