import { readFileSync } from "node:fs";
import { expect } from "chai";
import { parseVaultConfig } from "../../../../lib/vaultconfig/parseVaultConfig.js";
import { buildDesiredState } from "../../../../lib/vaultconfig/buildDesiredState.js";
import { ACCESSOR_PENDING } from "../../../../lib/vaultconfig/identityTemplates.js";

const config = parseVaultConfig(
  readFileSync(new URL("../../../../devstack/vault-config.dev.yaml", import.meta.url), "utf8"),
);
const ACC = "auth_kubernetes_1a2b3c4d";

describe("buildDesiredState", () => {
  it("orders mounts first, then CAs, kubernetes config, and per binding policy → PKI role → kubernetes role", () => {
    const { resources } = buildDesiredState(config, ACC);
    expect(resources.map((r) => `${r.kind} ${r.path}`)).to.deep.equal([
      "secrets-mount sys/mounts/pki-root",
      "secrets-mount sys/mounts/pki",
      "auth-mount sys/auth/kubernetes",
      "pki-root-ca pki-root/cert/ca",
      "pki-intermediate-ca pki/cert/ca",
      "kubernetes-auth-config auth/kubernetes/config",
      "acl-policy sys/policies/acl/iamra-demo",
      "pki-role pki/roles/demo",
      "kubernetes-role auth/kubernetes/role/demo",
      "acl-policy sys/policies/acl/iamra-other",
      "pki-role pki/roles/other",
      "kubernetes-role auth/kubernetes/role/other",
    ]);
    expect(resources.filter((r) => r.phase === "mounts").map((r) => r.path)).to.deep.equal([
      "sys/mounts/pki-root",
      "sys/mounts/pki",
      "sys/auth/kubernetes",
    ]);
  });

  it("templates the URI SAN and the CN from the kubernetes auth alias metadata of the given accessor", () => {
    const role = buildDesiredState(config, ACC).resources.find((r) => r.path === "pki/roles/demo")!;
    expect(role.fields.allowed_uri_sans).to.deep.equal([
      `spiffe://cluster.local/ns/{{identity.entity.aliases.${ACC}.metadata.service_account_namespace}}/sa/{{identity.entity.aliases.${ACC}.metadata.service_account_name}}`,
    ]);
    expect(role.fields.allowed_domains).to.deep.equal([
      `{{identity.entity.aliases.${ACC}.metadata.service_account_name}}.{{identity.entity.aliases.${ACC}.metadata.service_account_namespace}}`,
    ]);
    expect(role.fields).to.include({
      allowed_uri_sans_template: true,
      allowed_domains_template: true,
      allow_bare_domains: true,
      enforce_hostnames: false,
      client_flag: true,
      server_flag: false,
      no_store: true,
      allow_any_name: false,
      allow_subdomains: false,
      allow_ip_sans: false,
      allow_glob_domains: false,
      allow_localhost: false,
      key_type: "ec",
      key_bits: 256,
      ttl: 3600,
      max_ttl: 86400,
    });
  });

  it("uses a visible placeholder while the accessor is unknown", () => {
    const role = buildDesiredState(config).resources.find((r) => r.kind === "pki-role")!;
    expect(String((role.fields.allowed_uri_sans as string[])[0])).to.contain(`aliases.${ACCESSOR_PENDING}.metadata`);
  });

  it("grants each binding only update on its own sign path plus token self-management", () => {
    const policy = String(
      buildDesiredState(config, ACC).resources.find((r) => r.path === "sys/policies/acl/iamra-other")!.fields.policy,
    );
    const paths = [...policy.matchAll(/path "([^"]+)" \{\n {2}capabilities = \[([^\]]*)\]/g)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    expect(paths).to.deep.equal([
      'pki/sign/other "update"',
      'auth/token/lookup-self "read"',
      'auth/token/renew-self "update"',
      'auth/token/revoke-self "update"',
    ]);
  });

  it("binds the kubernetes role to the binding's names, namespaces, audience and policy only", () => {
    const role = buildDesiredState(config, ACC).resources.find((r) => r.path === "auth/kubernetes/role/demo")!;
    expect(role.fields).to.deep.include({
      bound_service_account_names: ["app"],
      bound_service_account_namespaces: ["demo"],
      audience: "vault",
      token_policies: ["iamra-demo"],
      token_no_default_policy: true,
      token_ttl: 900,
      token_max_ttl: 3600,
      token_period: 0,
    });
  });

  it("has no root mount or root CA for an external signer, and lists removals last", () => {
    const external = parseVaultConfig(`
trustDomain: example.org
pki:
  intermediate: { signedBy: { type: external } }
bindings:
  - { name: a, serviceAccounts: [{ namespace: n, name: s }] }
remove: { pkiRoles: [old], policies: [old-policy], kubernetesRoles: [old] }
`);
    const state = buildDesiredState(external, ACC);
    expect(state.resources.map((r) => r.kind)).to.not.include("pki-root-ca");
    expect(state.resources.map((r) => r.path)).to.not.include("sys/mounts/pki-root");
    expect(state.resources.find((r) => r.kind === "pki-intermediate-ca")!.note).to.contain("--signed-intermediate");
    expect(state.removals).to.deep.equal([
      { kind: "kubernetes-role", path: "auth/kubernetes/role/old" },
      { kind: "pki-role", path: "pki/roles/old" },
      { kind: "acl-policy", path: "sys/policies/acl/old-policy" },
    ]);
  });

  it("keeps the token reviewer JWT out of the compared fields", () => {
    const withJwt = {
      ...config,
      kubernetesAuth: {
        ...config.kubernetesAuth,
        config: { ...config.kubernetesAuth.config!, tokenReviewerJwt: "eyJ.secret" },
      },
    };
    const r = buildDesiredState(withJwt, ACC).resources.find((x) => x.kind === "kubernetes-auth-config")!;
    expect(JSON.stringify(r.fields)).to.not.contain("eyJ.secret");
    expect(r.fields.token_reviewer_jwt_set).to.equal(true);
    expect(r.secrets).to.deep.equal({ token_reviewer_jwt: "eyJ.secret" });
  });
});
