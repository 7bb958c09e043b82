/** Contract: auth/kubernetes/login and auth/kubernetes/config, on the stand-in and on OpenBao. */
import { expect } from "chai";
import { startTokenReviewStandIn } from "../../../devstack/kubernetes/startTokenReviewStandIn.js";
import { AUDIENCE, describeEachTarget, rejectionOf } from "./contractHarness.js";

describeEachTarget("auth/kubernetes/login", (ctx) => {
  const login = (role: unknown, jwt: unknown) => ctx().target.raw("POST", "auth/kubernetes/login", { role, jwt }, null);

  it("returns an orphan service token with the role's policy, TTL and service-account metadata", async () => {
    const { status, body } = await login("app", ctx().jwt("payments", "app"));
    expect(status).to.equal(200);
    expect(body.data).to.equal(null);
    expect(body.warnings).to.equal(null);
    expect(body).to.not.have.property("mount_type");
    expect([body.lease_id, body.lease_duration, body.renewable, body.wrap_info]).to.deep.equal(["", 0, false, null]);
    const auth = body.auth;
    expect(auth.client_token).to.be.a("string").with.length.greaterThan(20);
    expect(auth.accessor).to.be.a("string").with.length.greaterThan(0);
    expect(auth.policies).to.deep.equal(["iamra-app"]);
    expect(auth.token_policies).to.deep.equal(["iamra-app"]);
    expect(auth.lease_duration).to.equal(600);
    expect(auth.renewable).to.equal(true);
    expect(auth.token_type).to.equal("service");
    expect(auth.orphan).to.equal(true);
    expect(auth.entity_id).to.match(/^[0-9a-f-]{36}$/);
    expect([auth.num_uses, auth.mfa_requirement]).to.deep.equal([0, null]);
    expect(Object.keys(auth.metadata).sort()).to.deep.equal([
      "role",
      "service_account_name",
      "service_account_namespace",
      "service_account_secret_name",
      "service_account_uid",
    ]);
    expect(auth.metadata).to.include({
      role: "app",
      service_account_name: "app",
      service_account_namespace: "payments",
    });
  });

  it("is what the product's loginKubernetes reads (token, policies, TTL, renewable, metadata)", async () => {
    const client = ctx().client();
    const auth = await client.loginKubernetes({ role: "app", jwt: ctx().jwt("payments", "app") });
    expect(auth.policies).to.deep.equal(["iamra-app"]);
    expect(auth.leaseDurationSec).to.equal(600);
    expect(auth.renewable).to.equal(true);
    expect(auth.metadata.service_account_namespace).to.equal("payments");
    expect(client.hasToken()).to.equal(true);
    expect((await client.lookupSelf()).policies).to.deep.equal(["iamra-app"]);
  });

  it("refuses a token of another audience with 403, and the product says which audience", async () => {
    const jwt = ctx().jwt("payments", "app", { audiences: ["https://kubernetes.default.svc"] });
    const { status, body } = await login("app", jwt);
    expect(status).to.equal(403);
    expect(body.errors).to.have.length(1);
    expect(body.errors[0]).to.match(/^invalid audience \(aud\) claim/);
    const err = await rejectionOf(ctx().client().loginKubernetes({ role: "app", jwt }));
    expect(err.code).to.equal("VAULT_LOGIN_DENIED");
    expect(err.hint).to.include("expects another audience").and.include("https://kubernetes.default.svc");
  });

  it("refuses a service account name not bound with 403 'service account name not authorized'", async () => {
    const jwt = ctx().jwt("payments", "intruder");
    const { status, body } = await login("app", jwt);
    expect(status).to.equal(403);
    expect(body).to.deep.equal({ errors: ["service account name not authorized"] });
    const err = await rejectionOf(ctx().client().loginKubernetes({ role: "app", jwt }));
    expect(err.code).to.equal("VAULT_LOGIN_DENIED");
    expect(err.hint).to.include('Add "intruder" to bound_service_account_names');
  });

  it("refuses a namespace the role does not bind with 403 'namespace not authorized'", async () => {
    const jwt = ctx().jwt("other-ns", "app");
    const { status, body } = await login("app", jwt);
    expect(status).to.equal(403);
    expect(body).to.deep.equal({ errors: ["namespace not authorized"] });
    const err = await rejectionOf(ctx().client().loginKubernetes({ role: "app", jwt }));
    expect(err.code).to.equal("VAULT_LOGIN_DENIED");
    expect(err.hint).to.include('Add "other-ns" to bound_service_account_namespaces');
  });

  it("refuses an expired token with 403, and the product says it expired", async () => {
    const jwt = ctx().jwt("payments", "app", { ttlMs: -600_000 });
    const { status, body } = await login("app", jwt);
    expect(status).to.equal(403);
    expect(body.errors).to.have.length(1);
    expect(body.errors[0]).to.match(/exp/);
    const err = await rejectionOf(ctx().client().loginKubernetes({ role: "app", jwt }));
    expect(err.code).to.equal("VAULT_LOGIN_DENIED");
    expect(err.hint).to.match(/service account token expired at/);
  });

  it("refuses a token of another cluster (TokenReview says no) with 403 'permission denied'", async () => {
    const foreign = await startTokenReviewStandIn({ defaultAudiences: [AUDIENCE] });
    try {
      const jwt = foreign.mintToken({ namespace: "payments", serviceAccount: "app" });
      const { status, body } = await login("app", jwt);
      expect(status).to.equal(403);
      expect(body).to.deep.equal({ errors: ["permission denied"] });
      const err = await rejectionOf(ctx().client().loginKubernetes({ role: "app", jwt }));
      expect(err.code).to.equal("VAULT_LOGIN_DENIED");
      expect(err.hint).to.include("TokenReview rejected the service account token");
    } finally {
      await foreign.close();
    }
  });

  it("refuses an unknown role with 400 'invalid role name'", async () => {
    const jwt = ctx().jwt("payments", "app");
    const { status, body } = await login("nope", jwt);
    expect(status).to.equal(400);
    expect(body).to.deep.equal({ errors: ['invalid role name "nope"'] });
    const err = await rejectionOf(ctx().client().loginKubernetes({ role: "nope", jwt }));
    expect(err.code).to.equal("VAULT_LOGIN_INVALID");
    expect(err.hint).to.include('Role "nope" does not exist');
  });

  it("refuses a missing role or JWT with 400 'missing role' / 'missing jwt'", async () => {
    const noRole = await login("", ctx().jwt("payments", "app"));
    expect([noRole.status, noRole.body]).to.deep.equal([400, { errors: ["missing role"] }]);
    const noJwt = await login("app", "");
    expect([noJwt.status, noJwt.body]).to.deep.equal([400, { errors: ["missing jwt"] }]);
  });

  it("answers 403 'permission denied' for login on a missing auth mount; the product names the mount", async () => {
    const { status, body } = await ctx().target.raw("POST", "auth/nomount/login", { role: "app", jwt: "x" }, null);
    expect([status, body]).to.deep.equal([403, { errors: ["permission denied"] }]);
    const err = await rejectionOf(ctx().client().loginKubernetes({ mountPath: "nomount", role: "app", jwt: "x.y.z" }));
    expect(err.code).to.equal("VAULT_LOGIN_DENIED");
    expect(err.hint).to.include("no Kubernetes auth method is mounted at auth/nomount");
  });
});

describeEachTarget("auth/kubernetes/role", (ctx) => {
  it("writes a role without an audience with 204 (no warning), lower-cases its name, and reads it back", async () => {
    const role = { bound_service_account_names: "app", bound_service_account_namespaces: "payments", token_ttl: "1h" };
    const written = await ctx().target.raw("POST", "auth/kubernetes/role/NoAud", role);
    expect([written.status, written.text]).to.deep.equal([204, ""]);
    const read = await ctx().target.raw("GET", "auth/kubernetes/role/noaud");
    expect(read.status).to.equal(200);
    expect(read.body.data).to.deep.include({
      bound_service_account_names: ["app"],
      bound_service_account_namespaces: ["payments"],
      token_ttl: 3600,
    });
    expect(read.body.data).to.not.have.property("audience");
  });
});

describeEachTarget("auth/kubernetes/config", (ctx) => {
  it("reads back what vault-config wrote, without the reviewer JWT", async () => {
    const { status, body } = await ctx().target.raw("GET", "auth/kubernetes/config");
    expect(status).to.equal(200);
    expect(body.data.kubernetes_host).to.equal(ctx().k8s.url);
    expect(body.data.kubernetes_ca_cert).to.equal(ctx().k8s.caCertPem);
    expect(body.data.token_reviewer_jwt_set).to.equal(true);
    expect(body.data).to.not.have.property("token_reviewer_jwt");
    expect(body.data.disable_local_ca_jwt).to.equal(false);
  });

  it("refuses a config without kubernetes_ca_cert when no local CA file exists (not in a pod)", async () => {
    await ctx().target.raw("POST", "sys/auth/k8s-noca", { type: "kubernetes" });
    const { status, body } = await ctx().target.raw("POST", "auth/k8s-noca/config", { kubernetes_host: ctx().k8s.url });
    expect(status).to.equal(400);
    expect(body.errors).to.have.length(1);
    expect(body.errors[0]).to.include("/var/run/secrets/kubernetes.io/serviceaccount/ca.crt");
    const role = {
      bound_service_account_names: "app",
      bound_service_account_namespaces: "payments",
      audience: AUDIENCE,
    };
    expect((await ctx().target.raw("POST", "auth/k8s-noca/role/x", role)).status).to.equal(204);
    const jwt = ctx().jwt("payments", "app");
    const login = await ctx().target.raw("POST", "auth/k8s-noca/login", { role: "x", jwt }, null);
    expect(login.status).to.equal(500);
    expect(login.body).to.deep.equal({ errors: ["could not load backend configuration"] });
    const err = await rejectionOf(ctx().client().loginKubernetes({ mountPath: "k8s-noca", role: "x", jwt }));
    expect(err.code).to.equal("VAULT_SERVER_ERROR");
    expect(err.hint).to.include("has no config; write auth/k8s-noca/config");
  });

  it("refuses a config without kubernetes_ca_cert when disable_local_ca_jwt is set", async () => {
    await ctx().target.raw("POST", "sys/auth/k8s-local-off", { type: "kubernetes" });
    const { status, body } = await ctx().target.raw("POST", "auth/k8s-local-off/config", {
      kubernetes_host: ctx().k8s.url,
      disable_local_ca_jwt: true,
    });
    expect([status, body]).to.deep.equal([
      400,
      { errors: ["kubernetes_ca_cert must be given when disable_local_ca_jwt is true"] },
    ]);
  });

  it("refuses a config without kubernetes_host with 400 'no host provided'", async () => {
    const noHost = { kubernetes_ca_cert: ctx().k8s.caCertPem };
    const { status, body } = await ctx().target.raw("POST", "auth/kubernetes/config", noHost);
    expect([status, body]).to.deep.equal([400, { errors: ["no host provided"] }]);
  });
});
