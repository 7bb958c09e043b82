import { expect } from "chai";
import { IamraError } from "../../../../lib/errors.js";
import { fakeJwt, startScriptedVault, type ScriptedVault } from "./scriptedVault.js";
import { testClient } from "./testClient.js";

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
});
