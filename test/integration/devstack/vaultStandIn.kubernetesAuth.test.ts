import { expect } from "chai";
import { startTokenReviewStandIn } from "../../../devstack/kubernetes/startTokenReviewStandIn.js";
import { testVaultClient, startVaultKit, type VaultKit } from "./vaultTestKit.js";

type Err = { message: string; response?: { statusCode: number } };

async function loginError(kit: VaultKit, jwt: string, role = "app", mount = "kubernetes"): Promise<Err> {
  try {
    await testVaultClient(kit.vault.url).kubernetesLogin({ role, jwt, mount_point: mount });
  } catch (err) {
    return err as Err;
  }
  throw new Error("expected the login to fail");
}

describe("startVaultStandIn (kubernetes auth)", function () {
  this.timeout(30_000);
  let kit: VaultKit;

  before(async () => (kit = await startVaultKit()));
  after(async () => kit?.close());
  afterEach(() => kit.clock.reset());

  it("logs in with a minted service-account JWT after a TokenReview made with the reviewer JWT", async () => {
    const jwt = kit.k8s.mintToken({ namespace: "payments", serviceAccount: "app", uid: "uid-123" });
    const before = kit.k8s.requests.length;
    const res = (await testVaultClient(kit.vault.url).kubernetesLogin({
      role: "app",
      jwt,
      mount_point: "kubernetes",
    })) as {
      auth: Record<string, unknown>;
    };
    expect(res).to.not.have.property("mount_type");
    expect(res.auth["client_token"]).to.match(/^hvs\.[A-Za-z0-9]{24}$/);
    expect(res.auth["policies"]).to.deep.equal(["default", "pki-app"]);
    expect(res.auth["metadata"]).to.deep.equal({
      service_account_uid: "uid-123",
      service_account_name: "app",
      service_account_namespace: "payments",
      service_account_secret_name: "",
      role: "app",
    });
    expect(res.auth).to.include({
      lease_duration: 600,
      renewable: true,
      orphan: true,
      token_type: "service",
      num_uses: 0,
    });
    expect(res.auth["entity_id"]).to.match(/^[0-9a-f-]{36}$/);
    const reviews = kit.k8s.requests.slice(before);
    expect(reviews).to.have.length(1);
    expect(reviews[0]).to.include({
      path: "/apis/authentication.k8s.io/v1/tokenreviews",
      bearer: "reviewer",
      reviewedSubject: "system:serviceaccount:payments:app",
    });
    expect((reviews[0]!.body as { spec: { audiences: string[] } }).spec.audiences).to.deep.equal([
      "https://kubernetes.default.svc.cluster.local",
    ]);
  });

  it("maps repeated logins of one service account to one entity", async () => {
    const a = (await (await kit.login("payments", "app")).tokenLookupSelf()) as { data: { entity_id: string } };
    const b = (await (await kit.login("payments", "app")).tokenLookupSelf()) as { data: { entity_id: string } };
    expect(a.data.entity_id).to.equal(b.data.entity_id);
  });

  const refusals: Array<{
    name: string;
    jwt: (k: VaultKit) => string;
    status: number;
    message: string;
    advanceMs?: number;
  }> = [
    {
      name: "another service account",
      jwt: (k) => k.k8s.mintToken({ namespace: "payments", serviceAccount: "admin" }),
      status: 403,
      message: "service account name not authorized",
    },
    {
      name: "another namespace",
      jwt: (k) => k.k8s.mintToken({ namespace: "billing", serviceAccount: "app" }),
      status: 403,
      message: "namespace not authorized",
    },
    {
      name: "an expired JWT",
      jwt: (k) => k.k8s.mintToken({ namespace: "payments", serviceAccount: "app", ttlMs: 60_000 }),
      advanceMs: 5 * 60_000,
      status: 403,
      message: "invalid expiration time (exp) claim: token is expired",
    },
    {
      name: "a JWT for another audience",
      jwt: (k) => k.k8s.mintToken({ namespace: "payments", serviceAccount: "app", audiences: ["sts.amazonaws.com"] }),
      status: 403,
      message: "invalid audience (aud) claim: audience claim does not match any expected audience",
    },
    { name: "a malformed JWT", jwt: () => "not-a-jwt", status: 403, message: "permission denied" },
  ];
  for (const c of refusals) {
    it(`refuses ${c.name} with "${c.message}"`, async () => {
      const jwt = c.jwt(kit);
      if (c.advanceMs) kit.clock.advance(c.advanceMs);
      const err = await loginError(kit, jwt);
      expect(err.response?.statusCode).to.equal(c.status);
      expect(err.message).to.equal(c.message);
    });
  }

  it("answers 403 permission denied when the TokenReview rejects a revoked or forged token", async () => {
    const revoked = kit.k8s.mintToken({ namespace: "payments", serviceAccount: "app" });
    kit.k8s.revoke(revoked);
    expect((await loginError(kit, revoked)).message).to.equal("permission denied");
    const other = await startTokenReviewStandIn();
    try {
      const forged = other.mintToken({ namespace: "payments", serviceAccount: "app" });
      const err = await loginError(kit, forged);
      expect(err.response?.statusCode).to.equal(403);
      expect(err.message).to.equal("permission denied");
    } finally {
      await other.close();
    }
  });

  it("answers 400 for a missing or unknown role", async () => {
    const jwt = kit.k8s.mintToken({ namespace: "payments", serviceAccount: "app" });
    expect((await loginError(kit, jwt, "")).message).to.equal("missing role");
    const unknown = await loginError(kit, jwt, "nope");
    expect(unknown.response?.statusCode).to.equal(400);
    expect(unknown.message).to.equal('invalid role name "nope"');
  });

  it("reviews with the login JWT itself when no token_reviewer_jwt is configured", async () => {
    await kit.root.enableAuth({ mount_point: "k8s-self", type: "kubernetes" });
    await kit.root.write("auth/k8s-self/config", {
      kubernetes_host: kit.k8s.url,
      kubernetes_ca_cert: kit.k8s.caCertPem,
    });
    await kit.root.write("auth/k8s-self/role/App", {
      bound_service_account_names: "*",
      bound_service_account_namespaces: "payments",
    });
    const before = kit.k8s.requests.length;
    const jwt = kit.k8s.mintToken({ namespace: "payments", serviceAccount: "worker" });
    const res = (await testVaultClient(kit.vault.url).kubernetesLogin({
      role: "APP",
      jwt,
      mount_point: "k8s-self",
    })) as { auth: { lease_duration: number; policies: string[] } };
    expect(res.auth.lease_duration).to.equal(768 * 3600);
    expect(res.auth.policies).to.deep.equal(["default"]);
    expect(kit.k8s.requests.slice(before).map((r) => r.bearer)).to.deep.equal(["reviewed-token"]);
    const config = (await kit.root.read("auth/k8s-self/config")) as { data: Record<string, unknown> };
    expect(config.data).to.include({
      kubernetes_host: kit.k8s.url,
      token_reviewer_jwt_set: false,
      disable_iss_validation: true,
    });
  });
});
