import { expect } from "chai";
import type { VaultCallContext } from "../../../../lib/vault/vaultCallContext.js";
import { verdictForStatus } from "../../../../lib/vault/vaultErrorHints.js";

const NOW = 1_700_000_000_000;
const login: VaultCallContext = {
  operation: "login",
  step: "vault-login",
  action: "Vault login",
  method: "POST",
  path: "auth/k8s/login",
  addr: "http://v",
  role: "app",
  mount: "k8s",
  serviceAccount: {
    namespace: "payments",
    name: "app",
    audiences: ["https://kubernetes.default.svc"],
    expiresAtMs: NOW + 60_000,
  },
  nowMs: NOW,
};
const pki: VaultCallContext = {
  operation: "pki",
  step: "vault-pki-sign",
  action: "Vault PKI sign",
  method: "POST",
  path: "pki_int/sign/workload",
  addr: "http://v",
  role: "workload",
  mount: "pki_int",
  commonName: "app",
  uriSans: ["spiffe://c/ns/other/sa/x"],
};

describe("verdictForStatus", () => {
  const cases: Array<[string, number, string[], VaultCallContext, string, RegExp]> = [
    [
      "namespace not bound",
      403,
      ["namespace not authorized"],
      login,
      "VAULT_LOGIN_DENIED",
      /"payments" to bound_service_account_namespaces of role "app" \(auth\/k8s\/role\/app\)/,
    ],
    [
      "audience mismatch",
      403,
      ["invalid audience (aud) claim: audience claim does not match any expected audience"],
      login,
      "VAULT_LOGIN_DENIED",
      /\["https:\/\/kubernetes.default.svc"\]/,
    ],
    [
      "expired JWT",
      403,
      ["permission denied"],
      { ...login, serviceAccount: { ...login.serviceAccount, expiresAtMs: NOW - 1000 } },
      "VAULT_LOGIN_DENIED",
      /expired at 2023-11-14T22:13:19.000Z/,
    ],
    ["TokenReview refusal", 403, ["permission denied"], login, "VAULT_LOGIN_DENIED", /TokenReview.*token_reviewer_jwt/],
    [
      "missing auth mount",
      404,
      ['no handler for route "auth/k8s/login". route entry not found.'],
      { ...login, namespace: "team" },
      "VAULT_LOGIN_INVALID",
      /auth\/k8s in namespace "team"/,
    ],
    ["missing role", 400, ["missing role"], login, "VAULT_LOGIN_INVALID", /VAULT_ROLE/],
    [
      "auth not configured",
      500,
      ["could not load backend configuration"],
      login,
      "VAULT_SERVER_ERROR",
      /auth\/k8s\/config/,
    ],
    [
      "URI SAN refused",
      400,
      ["URI Subject Alternative Names are not allowed in this role, but were provided via the API"],
      pki,
      "VAULT_PKI_REFUSED",
      /\["spiffe:\/\/c\/ns\/other\/sa\/x"\]/,
    ],
    ["CN refused", 400, ["common name app not allowed by this role"], pki, "VAULT_PKI_REFUSED", /allowed_domains/],
    ["bad CSR", 400, ["request signature invalid"], pki, "VAULT_PKI_REFUSED", /key_type/],
    [
      "TTL beyond the CA",
      400,
      [
        "cannot satisfy request, as TTL would result in notAfter of x that is beyond the expiration of the CA certificate at y",
      ],
      pki,
      "VAULT_PKI_REFUSED",
      /shorter TTL/,
    ],
    [
      "no PKI mount",
      404,
      ['no handler for route "pki_int/sign/workload". route entry not found.'],
      pki,
      "VAULT_PKI_ROLE_MISSING",
      /vault secrets list/,
    ],
    [
      "no issuer",
      500,
      ["could not fetch the CA certificate (was one set?): x"],
      pki,
      "VAULT_SERVER_ERROR",
      /intermediate\/set-signed/,
    ],
    ["sealed", 503, ["Vault is sealed"], pki, "VAULT_SEALED", /unseal/],
  ];
  for (const [name, status, messages, ctx, code, hint] of cases) {
    it(`gives ${code} with a matching hint for ${name}`, () => {
      const v = verdictForStatus(status, messages, ctx);
      expect(v.code).to.equal(code);
      expect(v.hint).to.match(hint);
    });
  }

  it("gives VAULT_TOKEN_INVALID for OpenBao's bare 'permission denied' (expired or revoked token) on a PKI call", () => {
    const v = verdictForStatus(403, ["permission denied"], pki, { bareDenial: true });
    expect([v.code, v.retryable]).to.deep.equal(["VAULT_TOKEN_INVALID", false]);
    expect(v.hint).to.match(/log in again/);
  });

  it("keeps VAULT_PKI_DENIED for an ACL denial ('1 error occurred' form, bareDenial false)", () => {
    expect(verdictForStatus(403, ["permission denied"], pki, { bareDenial: false }).code).to.equal("VAULT_PKI_DENIED");
  });

  it("names the auth mount as a cause of a bare login 'permission denied' (OpenBao's answer for a missing mount)", () => {
    const v = verdictForStatus(403, ["permission denied"], login, { bareDenial: true });
    expect(v.code).to.equal("VAULT_LOGIN_DENIED");
    expect(v.hint).to.match(/no Kubernetes auth method is mounted at auth\/k8s/);
  });
});
