import { expect } from "chai";
import { IamraError } from "../../../../lib/errors.js";
import { fakeJwt, startScriptedVault, type ScriptedVault } from "./scriptedVault.js";
import { testClient } from "./testClient.js";

const CERT = "-----BEGIN CERTIFICATE-----\nMIIleaf\n-----END CERTIFICATE-----";
const INT = "-----BEGIN CERTIFICATE-----\nMIIint\n-----END CERTIFICATE-----";
const ROOT = "-----BEGIN CERTIFICATE-----\nMIIroot\n-----END CERTIFICATE-----";
const JWT = fakeJwt({
  sub: "system:serviceaccount:payments:app",
  aud: ["vault"],
  "kubernetes.io": { namespace: "payments", serviceaccount: { name: "app" } },
});

function loginAnswer(token = "hvs.CAESIlogintoken") {
  return {
    status: 200,
    body: {
      request_id: "r",
      lease_id: "",
      renewable: false,
      lease_duration: 0,
      data: null,
      wrap_info: null,
      warnings: null,
      auth: {
        client_token: token,
        accessor: "acc123",
        policies: ["default", "pki-issue"],
        token_policies: ["default", "pki-issue"],
        metadata: { role: "app", service_account_name: "app", service_account_namespace: "payments" },
        lease_duration: 3600,
        renewable: true,
        entity_id: "e",
        token_type: "service",
        orphan: true,
      },
      mount_type: "kubernetes",
    },
  };
}

function signAnswer(extra: Record<string, unknown> = {}, warnings: string[] | null = null) {
  return {
    status: 200,
    body: {
      lease_id: "",
      renewable: false,
      lease_duration: 0,
      warnings,
      data: {
        expiration: 1_700_003_600,
        serial_number: "39:dd:2e",
        certificate: CERT,
        issuing_ca: INT,
        ca_chain: [INT, ROOT],
        ...extra,
      },
    },
  };
}

describe("createVaultClient", () => {
  let vault: ScriptedVault;
  beforeEach(async () => (vault = await startScriptedVault()));
  afterEach(async () => vault.close());

  describe("loginKubernetes", () => {
    it("posts role and jwt to auth/kubernetes/login and returns the auth block when no mount is given", async () => {
      const { client, clock } = testClient(vault.url);
      vault.reply(loginAnswer());
      const auth = await client.loginKubernetes({ role: "app", jwt: JWT });
      expect(vault.received).to.have.length(1);
      const [req] = vault.received;
      expect(req.method).to.equal("POST");
      expect(req.path).to.equal("/v1/auth/kubernetes/login");
      expect(req.body).to.deep.equal({ role: "app", jwt: JWT });
      expect(req.headers["x-vault-token"]).to.equal(undefined);
      expect(auth).to.deep.equal({
        clientToken: "hvs.CAESIlogintoken",
        accessor: "acc123",
        policies: ["default", "pki-issue"],
        leaseDurationSec: 3600,
        renewable: true,
        metadata: { role: "app", service_account_name: "app", service_account_namespace: "payments" },
        obtainedAtMs: clock.now(),
      });
    });

    const mounts: Array<[string | undefined, string]> = [
      ["k8s-prod/cluster-a", "/v1/auth/k8s-prod/cluster-a/login"],
      ["auth/k8s", "/v1/auth/k8s/login"],
      ["/kube/", "/v1/auth/kube/login"],
      ["", "/v1/auth/kubernetes/login"],
    ];
    for (const [mountPath, expected] of mounts) {
      it(`posts to ${expected} when mountPath is ${JSON.stringify(mountPath)}`, async () => {
        const { client } = testClient(vault.url);
        vault.reply(loginAnswer());
        await client.loginKubernetes({ mountPath, role: "app", jwt: JWT });
        expect(vault.received.map((r) => r.path)).to.deep.equal([expected]);
      });
    }

    it("sends the login token and the namespace on later calls", async () => {
      const { client } = testClient(vault.url, { namespace: "team-a/" });
      vault.reply(loginAnswer("hvs.fromlogin"), {
        status: 200,
        body: {
          data: {
            ttl: 3000,
            renewable: true,
            policies: ["default"],
            accessor: "acc123",
            expire_time: "2030-01-01T00:00:00Z",
          },
        },
      });
      await client.loginKubernetes({ role: "app", jwt: JWT });
      const info = await client.lookupSelf();
      expect(vault.received[0].headers["x-vault-namespace"]).to.equal("team-a/");
      expect(vault.received[1].path).to.equal("/v1/auth/token/lookup-self");
      expect(vault.received[1].headers["x-vault-token"]).to.equal("hvs.fromlogin");
      expect(vault.received[1].headers["x-vault-namespace"]).to.equal("team-a/");
      expect(info).to.deep.equal({
        ttlSec: 3000,
        renewable: true,
        policies: ["default"],
        accessor: "acc123",
        expireTime: "2030-01-01T00:00:00Z",
      });
    });

    it("throws VAULT_LOGIN_DENIED with a bound_service_account_names hint on 403 service account name not authorized", async () => {
      const { client } = testClient(vault.url);
      vault.reply({ status: 403, body: { errors: ["service account name not authorized"] } });
      const err = await client.loginKubernetes({ role: "app", jwt: JWT }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(IamraError);
      const e = err as IamraError;
      expect(e.code).to.equal("VAULT_LOGIN_DENIED");
      expect(e.status).to.equal(403);
      expect(e.retryable).to.equal(false);
      expect(e.step).to.equal("vault-login");
      expect(e.message).to.equal(
        'Vault login failed at auth/kubernetes/login for role "app" (HTTP 403: service account name not authorized).',
      );
      expect(e.hint).to.include('"app" to bound_service_account_names of role "app"').and.include('"payments/app"');
      expect(vault.received).to.have.length(1);
    });

    it("throws VAULT_LOGIN_DENIED with a TokenReview hint on 403 permission denied", async () => {
      const { client } = testClient(vault.url);
      vault.reply({ status: 403, body: { errors: ["1 error occurred:\n\t* permission denied\n\n"] } });
      const e = (await client.loginKubernetes({ role: "app", jwt: JWT }).catch((x: unknown) => x)) as IamraError;
      expect(e.code).to.equal("VAULT_LOGIN_DENIED");
      expect(e.message).to.include("(HTTP 403: permission denied)");
      expect(e.hint)
        .to.match(/expired/)
        .and.match(/audience/);
    });

    it("throws VAULT_LOGIN_INVALID on 400 invalid role name without retrying", async () => {
      const { client } = testClient(vault.url);
      vault.reply({ status: 400, body: { errors: ['invalid role name "nope"'] } });
      const e = (await client.loginKubernetes({ role: "nope", jwt: JWT }).catch((x: unknown) => x)) as IamraError;
      expect(e.code).to.equal("VAULT_LOGIN_INVALID");
      expect(e.hint).to.include("auth/kubernetes/role/nope");
      expect(vault.received).to.have.length(1);
    });

    it("throws VAULT_LOGIN_INVALID before any request when the role is empty", async () => {
      const { client } = testClient(vault.url);
      const e = (await client.loginKubernetes({ role: " ", jwt: JWT }).catch((x: unknown) => x)) as IamraError;
      expect(e.code).to.equal("VAULT_LOGIN_INVALID");
      expect(vault.received).to.have.length(0);
    });
  });

  describe("pkiSign", () => {
    it("posts csr, common_name, comma-joined uri_sans, ttl and format to <mount>/sign/<role> with the token", async () => {
      const { client, lines } = testClient(vault.url);
      client.useToken("hvs.usertoken");
      vault.reply(signAnswer({}, ['TTL "48h0m0s" is longer than permitted maxTTL "24h0m0s", so maxTTL is being used']));
      const csrPem = "-----BEGIN CERTIFICATE REQUEST-----\nMIIcsr\n-----END CERTIFICATE REQUEST-----";
      const cert = await client.pkiSign({
        mount: "pki_int",
        role: "workload",
        csrPem,
        commonName: "app.payments",
        uriSans: ["spiffe://cluster.local/ns/payments/sa/app", "urn:x"],
        ttlSec: 3600,
      });
      const [req] = vault.received;
      expect(req.method).to.equal("POST");
      expect(req.path).to.equal("/v1/pki_int/sign/workload");
      expect(req.headers["x-vault-token"]).to.equal("hvs.usertoken");
      expect(req.body).to.deep.equal({
        csr: csrPem,
        common_name: "app.payments",
        uri_sans: "spiffe://cluster.local/ns/payments/sa/app,urn:x",
        ttl: "3600s",
        format: "pem",
      });
      expect(cert).to.deep.equal({
        certificatePem: CERT,
        issuingCaPem: INT,
        caChainPems: [INT, ROOT],
        serialNumber: "39:dd:2e",
        expirationSec: 1_700_003_600,
        warnings: ['TTL "48h0m0s" is longer than permitted maxTTL "24h0m0s", so maxTTL is being used'],
      });
      expect(lines.some((l) => l.includes("vault returned warnings") && l.includes("maxTTL"))).to.equal(true);
    });

    it("uses the pki mount and leaves out uri_sans and ttl when not given", async () => {
      const { client } = testClient(vault.url);
      client.useToken("hvs.usertoken");
      vault.reply(signAnswer());
      await client.pkiSign({
        role: "r",
        csrPem: "-----BEGIN CERTIFICATE REQUEST-----\nx\n-----END CERTIFICATE REQUEST-----",
        commonName: "a",
      });
      expect(vault.received[0].path).to.equal("/v1/pki/sign/r");
      expect(Object.keys(vault.received[0].body as object).sort()).to.deep.equal(["common_name", "csr", "format"]);
    });

    const refusals: Array<[number, string, string, RegExp]> = [
      [
        400,
        "URI Subject Alternative Names were provided via the API which are not valid for this role",
        "VAULT_PKI_REFUSED",
        /allowed_uri_sans/,
      ],
      [
        400,
        "subject alternate name other.example not allowed by this role",
        "VAULT_PKI_REFUSED",
        /own service account identity/,
      ],
      [
        403,
        "1 error occurred:\n\t* permission denied\n\n",
        "VAULT_PKI_DENIED",
        /allow "update" on pki_int\/sign\/workload/,
      ],
      [400, "unknown role: workload", "VAULT_PKI_ROLE_MISSING", /pki_int\/roles\/workload/],
      [403, "2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n", "VAULT_TOKEN_INVALID", /log in again/],
      // OpenBao 2.x answers an expired, revoked or unknown token with a bare "permission denied"
      [403, "permission denied", "VAULT_TOKEN_INVALID", /log in again/],
    ];
    for (const [status, vaultMsg, code, hint] of refusals) {
      it(`throws ${code} on ${status} ${JSON.stringify(vaultMsg.slice(0, 40))}`, async () => {
        const { client } = testClient(vault.url);
        client.useToken("hvs.usertoken");
        vault.reply({ status, body: { errors: [vaultMsg] } });
        const e = (await client
          .pkiSign({
            mount: "pki_int",
            role: "workload",
            csrPem: "csr",
            commonName: "a",
            uriSans: ["spiffe://x/ns/a/sa/b"],
          })
          .catch((x: unknown) => x)) as IamraError;
        expect(e).to.be.instanceOf(IamraError);
        expect(e.code).to.equal(code);
        expect(e.status).to.equal(status);
        expect(e.hint).to.match(hint);
        expect(e.message).to.include("pki_int/sign/workload").and.not.include("error occurred");
        expect(vault.received).to.have.length(1);
      });
    }
  });

  it("pkiIssue posts to <mount>/issue/<role> without a csr and returns the private key", async () => {
    const { client } = testClient(vault.url);
    client.useToken("hvs.usertoken");
    const key = "-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----";
    vault.reply(signAnswer({ private_key: key, private_key_type: "ec" }));
    const cert = await client.pkiIssue({
      mount: "pki_int",
      role: "workload",
      commonName: "a",
      uriSans: ["spiffe://x"],
      ttlSec: 60,
      keyType: "ec",
    });
    expect(vault.received[0].path).to.equal("/v1/pki_int/issue/workload");
    expect(vault.received[0].body).to.deep.equal({
      common_name: "a",
      uri_sans: "spiffe://x",
      ttl: "60s",
      format: "pem",
    });
    expect(cert.privateKeyPem).to.equal(key);
  });
});
