/** Contract: auth/token/lookup-self, renew-self and revoke-self with real TTLs, on the stand-in and on OpenBao. */
import { expect } from "chai";
import { silentLogger } from "../../../lib/log.js";
import { createVaultIdentitySource } from "../../../lib/identity/vaultIdentitySource.js";
import { systemClock } from "../../../lib/time/clock.js";
import { createCsr } from "../../../lib/x509/createCsr.js";
import { generateKeyPair } from "../../../lib/x509/generateKeyPair.js";
import { describeEachTarget, rejectionOf, sleep } from "./contractHarness.js";

const LOOKUP_KEYS = [
  "accessor",
  "creation_time",
  "creation_ttl",
  "display_name",
  "entity_id",
  "expire_time",
  "explicit_max_ttl",
  "id",
  "issue_time",
  "meta",
  "num_uses",
  "orphan",
  "path",
  "policies",
  "renewable",
  "ttl",
  "type",
];

describeEachTarget("auth/token self-endpoints", (ctx) => {
  async function loginRaw(sa: string): Promise<{ token: string; accessor: string; entityId: string }> {
    const jwt = ctx().jwt("payments", sa);
    const r = await ctx().target.raw("POST", "auth/kubernetes/login", { role: sa, jwt }, null);
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    return { token: r.body.auth.client_token, accessor: r.body.auth.accessor, entityId: r.body.auth.entity_id };
  }

  it("lookup-self describes a kubernetes login token (TTL counting down, path, entity, metadata)", async () => {
    const { token, accessor, entityId } = await loginRaw("app");
    const { status, body } = await ctx().target.raw("GET", "auth/token/lookup-self", undefined, token);
    expect(status).to.equal(200);
    const d = body.data;
    for (const key of LOOKUP_KEYS) expect(d, key).to.have.property(key);
    expect(d.accessor).to.equal(accessor);
    expect(d.entity_id).to.equal(entityId);
    expect(d.path).to.equal("auth/kubernetes/login");
    expect(d.policies).to.deep.equal(["iamra-app"]);
    expect(d.creation_ttl).to.equal(600);
    expect(d.ttl).to.be.within(590, 600);
    expect(d.renewable).to.equal(true);
    expect(d.orphan).to.equal(true);
    expect(d.type).to.equal("service");
    expect(d.display_name).to.equal("kubernetes-payments-app");
    expect(d.meta).to.include({ role: "app", service_account_name: "app", service_account_namespace: "payments" });
    expect(Date.parse(d.expire_time) - Date.now()).to.be.within(580_000, 610_000);
  });

  it("lookup-self is what the product's lookupSelf reads", async () => {
    const client = await ctx().login("payments", "app");
    const info = await client.lookupSelf();
    expect(info.ttlSec).to.be.within(590, 600);
    expect(info.renewable).to.equal(true);
    expect(info.policies).to.deep.equal(["iamra-app"]);
    expect(Date.parse(info.expireTime!)).to.be.greaterThan(Date.now());
    const root = await ctx().root.lookupSelf();
    expect([root.ttlSec, root.policies, root.expireTime]).to.deep.equal([0, ["root"], undefined]);
  });

  it("renew-self caps a login token at token_max_ttl with a warning; the token then expires", async function () {
    this.timeout(30_000);
    const loginSent = Date.now();
    const { token } = await loginRaw("short");
    const renewed = await ctx().target.raw("POST", "auth/token/renew-self", { increment: "60s" }, token);
    // what is left of the 6 s max TTL: at least 6 s less the time since the login was sent (1 s for rounding)
    const maxTtlLeftSec = 6 - (Date.now() - loginSent) / 1000;
    expect(renewed.status).to.equal(200);
    expect(renewed.body.auth.client_token).to.equal(token);
    expect(renewed.body.auth.lease_duration).to.be.within(Math.floor(maxTtlLeftSec) - 1, 6);
    expect(renewed.body.auth.renewable).to.equal(true);
    expect(renewed.body.warnings).to.have.length(1);
    expect(renewed.body.warnings[0]).to.match(
      /^TTL of "1m" exceeded the effective max_ttl of "[\d.]+s"; TTL value is capped accordingly$/,
    );
    await sleep(7_000); // past token_max_ttl (6 s) of role "short"
    const expired = await ctx().target.raw("GET", "auth/token/lookup-self", undefined, token);
    expect([expired.status, expired.body]).to.deep.equal([403, { errors: ["permission denied"] }]);
  });

  it("renew-self through the product gives the role's TTL again; then expired, VAULT_TOKEN_INVALID", async function () {
    this.timeout(30_000);
    const client = await ctx().login("payments", "short");
    // part of the 3 s TTL passes; a renewal more than 3 s after the login would find the token expired
    await sleep(500);
    const auth = await client.renewSelf();
    expect(auth.leaseDurationSec).to.equal(3);
    expect(auth.renewable).to.equal(true);
    expect(auth.policies).to.deep.equal(["iamra-short"]);
    await sleep(4_000); // the renewed 3 s TTL runs out
    const err = await rejectionOf(client.lookupSelf());
    expect(err.code).to.equal("VAULT_TOKEN_INVALID");
    expect(err.status).to.equal(403);
  });

  it("renew-self of a token that cannot be renewed answers 400 'lease is not renewable'", async () => {
    const { status, body } = await ctx().target.raw("POST", "auth/token/renew-self", {});
    expect([status, body]).to.deep.equal([400, { errors: ["lease is not renewable"] }]);
    const err = await rejectionOf(ctx().root.renewSelf());
    expect(err.code).to.equal("VAULT_TOKEN_NOT_RENEWABLE");
  });

  it("revoke-self answers 204; the token is then refused with 403 'permission denied'", async () => {
    const { token } = await loginRaw("app");
    const revoked = await ctx().target.raw("POST", "auth/token/revoke-self", undefined, token);
    expect([revoked.status, revoked.text]).to.deep.equal([204, ""]);
    const after = await ctx().target.raw("GET", "auth/token/lookup-self", undefined, token);
    expect([after.status, after.body]).to.deep.equal([403, { errors: ["permission denied"] }]);
  });

  it("a revoked token is VAULT_TOKEN_INVALID on a PKI call too, not a policy denial", async () => {
    const client = await ctx().login("payments", "app");
    const { accessor } = await client.lookupSelf();
    const revoked = await ctx().target.raw("POST", "auth/token/revoke-accessor", { accessor });
    expect(revoked.status).to.equal(204);
    const csrPem = await createCsr({
      keyPair: await generateKeyPair("ec-p256"),
      commonName: "app.payments",
      uriSans: ["spiffe://cluster.local/ns/payments/sa/app"],
    });
    const err = await rejectionOf(client.pkiSign({ role: "app", csrPem, commonName: "" }));
    expect([err.code, err.status]).to.deep.equal(["VAULT_TOKEN_INVALID", 403]);
  });

  it("the refresher's Vault identity source logs in again when its token is revoked behind its back", async () => {
    const c = ctx();
    const vault = c.client();
    const source = createVaultIdentitySource({
      vault,
      clock: systemClock,
      log: silentLogger(),
      newCertificateEveryTime: true,
      auth: {
        method: "kubernetes",
        mountPath: "kubernetes",
        role: "app",
        readJwt: async () => c.jwt("payments", "app"),
      },
      certificate: {
        mount: "pki",
        role: "app",
        mode: "sign",
        keyKind: "ec-p256",
        commonName: "app.payments",
        uriSans: ["spiffe://cluster.local/ns/payments/sa/app"],
      },
    });
    const first = await source.get();
    const { accessor } = await vault.lookupSelf();
    expect((await c.target.raw("POST", "auth/token/revoke-accessor", { accessor })).status).to.equal(204);
    const second = await source.get();
    expect(second.certificate.serialNumber).to.not.equal(first.certificate.serialNumber);
    expect((await vault.lookupSelf()).accessor, "a new token").to.not.equal(accessor);
  });

  it("revoke-self through the product forgets the token", async () => {
    const client = await ctx().login("payments", "app");
    await client.revokeSelf();
    expect(client.hasToken()).to.equal(false);
    const err = await rejectionOf(client.lookupSelf());
    expect(err.code).to.equal("VAULT_NOT_AUTHENTICATED");
  });
});
