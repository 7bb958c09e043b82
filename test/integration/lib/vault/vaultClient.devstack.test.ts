import { expect } from "chai";
import { X509Certificate } from "node:crypto";
import type { Writable } from "node:stream";
import {
  startTokenReviewStandIn,
  type TokenReviewStandIn,
} from "../../../../devstack/kubernetes/startTokenReviewStandIn.js";
import { startVaultStandIn, type VaultStandIn } from "../../../../devstack/vault/startVaultStandIn.js";
import { IamraError } from "../../../../lib/errors.js";
import { createLogger } from "../../../../lib/log.js";
import { systemClock, type Clock } from "../../../../lib/time/clock.js";
import { createVaultClient } from "../../../../lib/vault/createVaultClient.js";
import type { VaultClient, VaultClientOptions } from "../../../../lib/vault/VaultClient.js";
import { createCsr } from "../../../../lib/x509/createCsr.js";
import { generateKeyPair } from "../../../../lib/x509/generateKeyPair.js";

describe("VaultClient against the devstack Vault and TokenReview stand-ins", () => {
  let vault: VaultStandIn;
  let k8s: TokenReviewStandIn;
  const setup = {
    pkiMount: "pki",
    pkiRole: "workload",
    kubernetesAuthMount: "k8s-test",
    vaultRole: "demo-app",
    trustDomain: "cluster.local",
  };
  let lines: string[] = [];
  const clients: VaultClient[] = [];

  function client(extra: Partial<VaultClientOptions> = {}): VaultClient {
    const destination = { write: (s: string) => void lines.push(s) } as unknown as Writable;
    const c = createVaultClient({
      addr: vault.url,
      timeoutMs: 2000,
      maxAttempts: 3,
      backoffBaseMs: 5,
      backoffCapMs: 20,
      clock: systemClock,
      log: createLogger({ level: "debug", destination }),
      ...extra,
    });
    clients.push(c);
    return c;
  }

  async function podClient(namespace = "demo", serviceAccount = "app", extra: Partial<VaultClientOptions> = {}) {
    const c = client(extra);
    const jwt = k8s.mintToken({ namespace, serviceAccount });
    const auth = await c.loginKubernetes({ mountPath: setup.kubernetesAuthMount, role: setup.vaultRole, jwt });
    return { c, auth };
  }

  /**
   * Root-token setup through the client's generic helpers: root CA, templated PKI role, policy, kubernetes auth on a
   * custom mount.
   */
  async function configure(admin: VaultClient): Promise<void> {
    const { pkiMount, pkiRole, kubernetesAuthMount: auth, vaultRole, trustDomain } = setup;
    await admin.write(`sys/mounts/${pkiMount}`, { type: "pki", config: { max_lease_ttl: "87600h" } });
    await admin.write(`${pkiMount}/root/generate/internal`, {
      common_name: "vault client test root",
      ttl: "87600h",
      key_type: "ec",
      key_bits: 256,
    });
    await admin.write(`sys/auth/${auth}`, { type: "kubernetes" });
    const accessor = String(
      ((await admin.read("sys/auth"))?.data as Record<string, { accessor: string }>)[`${auth}/`]?.accessor,
    );
    expect(accessor).to.match(/^auth_kubernetes_[0-9a-f]{8}$/);
    await admin.write(`auth/${auth}/config`, {
      kubernetes_host: k8s.url,
      kubernetes_ca_cert: k8s.caCertPem,
      token_reviewer_jwt: k8s.reviewerJwt,
    });
    const md = (k: string) => `{{identity.entity.aliases.${accessor}.metadata.${k}}}`;
    await admin.write(`${pkiMount}/roles/${pkiRole}`, {
      allowed_uri_sans: `spiffe://${trustDomain}/ns/${md("service_account_namespace")}/sa/${md("service_account_name")}`,
      allowed_uri_sans_template: true,
      allow_any_name: true,
      enforce_hostnames: false,
      key_type: "ec",
      ttl: "1h",
      max_ttl: "24h",
      server_flag: false,
      client_flag: true,
    });
    await admin.write("sys/policies/acl/iamra-demo-app", {
      policy: `path "${pkiMount}/sign/${pkiRole}" {\n  capabilities = ["update"]\n}\n`,
    });
    await admin.write(`auth/${auth}/role/${vaultRole}`, {
      bound_service_account_names: "app",
      bound_service_account_namespaces: "demo",
      token_policies: "iamra-demo-app",
      token_ttl: "1h",
      token_max_ttl: "2h",
    });
  }

  before(async () => {
    k8s = await startTokenReviewStandIn({ tls: true });
    vault = await startVaultStandIn({ port: 0 });
    const admin = client();
    admin.useToken(vault.rootToken);
    await configure(admin);
  });
  beforeEach(() => (lines = []));
  after(async () => {
    for (const c of clients) c.close();
    await Promise.all([vault?.close(), k8s?.close()]);
  });

  it("reports health and lists what the setup created", async () => {
    const admin = client();
    admin.useToken(vault.rootToken);
    expect(await client().health()).to.include({ initialized: true, sealed: false, standby: false });
    const roles = await admin.list(`auth/${setup.kubernetesAuthMount}/role`);
    expect((roles?.data as { keys: string[] }).keys).to.include(setup.vaultRole);
    expect(await admin.read(`${setup.pkiMount}/roles/no-such-role`)).to.equal(null);
  });

  it("logs in as demo/app and gets a certificate for its own SPIFFE identity from a CSR", async () => {
    const { c, auth } = await podClient();
    expect(auth.policies).to.include("iamra-demo-app");
    expect(auth.metadata).to.include({ service_account_namespace: "demo", service_account_name: "app" });
    const uri = `spiffe://${setup.trustDomain}/ns/demo/sa/app`;
    const csrPem = await createCsr({
      keyPair: await generateKeyPair("ec-p256"),
      commonName: "app.demo",
      uriSans: [uri],
    });
    const issued = await c.pkiSign({
      mount: setup.pkiMount,
      role: setup.pkiRole,
      csrPem,
      commonName: "app.demo",
      uriSans: [uri],
      ttlSec: 900,
    });
    const cert = new X509Certificate(issued.certificatePem);
    expect(cert.subjectAltName).to.include(`URI:${uri}`);
    expect(cert.checkIssued(new X509Certificate(issued.issuingCaPem))).to.equal(true);
    expect(issued.caChainPems.length).to.be.at.least(1);
    expect(issued.expirationSec * 1000 - Date.now()).to.be.within(800_000, 960_000);
    const seen = vault.requests.filter((r) => r.path === `/v1/${setup.pkiMount}/sign/${setup.pkiRole}`).at(-1);
    expect(seen?.token).to.equal(auth.accessor);
    expect(vault.requests.some((r) => r.path === `/v1/auth/${setup.kubernetesAuthMount}/login`)).to.equal(true);
  });

  it("refuses a certificate naming another service account with VAULT_PKI_REFUSED", async () => {
    const { c } = await podClient();
    const other = `spiffe://${setup.trustDomain}/ns/demo/sa/admin`;
    const csrPem = await createCsr({
      keyPair: await generateKeyPair("ec-p256"),
      commonName: "app.demo",
      uriSans: [other],
    });
    const e = (await c
      .pkiSign({ mount: setup.pkiMount, role: setup.pkiRole, csrPem, commonName: "app.demo", uriSans: [other] })
      .catch((x: unknown) => x)) as IamraError;
    expect(e).to.be.instanceOf(IamraError);
    expect(e.code).to.equal("VAULT_PKI_REFUSED");
    expect(e.status).to.equal(400);
    expect(e.hint).to.include("allowed_uri_sans");
  });

  it("denies login for a service account the role does not bind, with a hint naming it", async () => {
    const e = (await podClient("demo", "intruder").catch((x: unknown) => x)) as IamraError;
    expect(e.code).to.equal("VAULT_LOGIN_DENIED");
    expect(e.status).to.equal(403);
    expect(e.hint).to.include('"intruder"').and.include(`role "${setup.vaultRole}"`);
  });

  it("maps an unknown role to VAULT_LOGIN_INVALID", async () => {
    const e = (await client()
      .loginKubernetes({
        mountPath: setup.kubernetesAuthMount,
        role: "nope",
        jwt: k8s.mintToken({ namespace: "demo", serviceAccount: "app" }),
      })
      .catch((x: unknown) => x)) as IamraError;
    expect(e.code).to.equal("VAULT_LOGIN_INVALID");
    expect(e.message).to.include('invalid role name "nope"');
  });

  it("looks up, renews and revokes its token; the revoked token then gives VAULT_TOKEN_INVALID", async () => {
    const { c, auth } = await podClient();
    const info = await c.lookupSelf();
    expect(info.accessor).to.equal(auth.accessor);
    expect(info.ttlSec).to.be.within(1, 3600);
    const renewed = await c.renewSelf(600);
    expect(renewed.clientToken).to.equal(auth.clientToken);
    expect(renewed.leaseDurationSec).to.be.within(1, 3600);
    await c.revokeSelf();
    const again = client();
    again.useToken(auth.clientToken);
    const e = (await again.lookupSelf().catch((x: unknown) => x)) as IamraError;
    expect(e.code).to.equal("VAULT_TOKEN_INVALID");
    expect(JSON.stringify(e)).to.not.include(auth.clientToken);
  });

  it("denies a write outside the pod's policy with VAULT_DENIED", async () => {
    const { c } = await podClient();
    const e = (await c
      .write("sys/policies/acl/evil", { policy: 'path "*" { capabilities = ["sudo"] }' })
      .catch((x: unknown) => x)) as IamraError;
    expect(e.code).to.equal("VAULT_DENIED");
    expect(e.message).to.include("sys/policies/acl/evil");
  });

  it("retries while Vault is sealed and succeeds once it is unsealed", async () => {
    const unsealingClock: Clock = { now: () => Date.now(), sleep: async () => vault.unseal() };
    const { c } = await podClient("demo", "app", { clock: unsealingClock });
    vault.seal();
    const info = await c.lookupSelf();
    expect(info.renewable).to.equal(true);
    const retries = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === "vault request failed, retrying");
    expect(retries.map((r) => r.code)).to.deep.equal(["VAULT_SEALED"]);
  });

  it("times out with VAULT_TIMEOUT when the stand-in is slower than timeoutMs", async function () {
    this.timeout(40_000);
    const c = client({ timeoutMs: 200, maxAttempts: 1 });
    // the answer comes 30 s later: a bound of 3 s has room on a loaded machine without losing its point
    vault.setDelay(30_000);
    try {
      const started = Date.now();
      const e = (await c.health().catch((x: unknown) => x)) as IamraError;
      expect(e.code).to.equal("VAULT_TIMEOUT");
      expect(Date.now() - started, "gave up before the delayed answer").to.be.below(3_000);
    } finally {
      vault.setDelay(0);
    }
  });
});
