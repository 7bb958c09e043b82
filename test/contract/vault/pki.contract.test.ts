/** Contract: PKI sign and issue with identity-templated names, refusals, and the policies vault-config writes. */
import { X509Certificate } from "node:crypto";
import { expect } from "chai";
import { bindingPolicy } from "../../../lib/vaultconfig/bindingResources.js";
import { createCsr } from "../../../lib/x509/createCsr.js";
import { generateKeyPair } from "../../../lib/x509/generateKeyPair.js";
import { subjectAltNames } from "../../../lib/x509/subjectAltNames.js";
import { describeEachTarget, rejectionOf } from "./contractHarness.js";

const OWN_URI = "spiffe://cluster.local/ns/payments/sa/app";
const OTHER_URI = "spiffe://cluster.local/ns/payments/sa/short";

async function csrFor(commonName: string, uri: string): Promise<string> {
  return createCsr({ keyPair: await generateKeyPair("ec-p256"), commonName, uriSans: [uri] });
}

describeEachTarget("pki sign and issue", (ctx) => {
  const sign = async (token: string, body: Record<string, unknown>, role = "app") =>
    ctx().target.raw("POST", `pki/sign/${role}`, { format: "pem", ...body }, token);
  let appToken = "";
  before(async () => {
    const r = await ctx().target.raw(
      "POST",
      "auth/kubernetes/login",
      { role: "app", jwt: ctx().jwt("payments", "app") },
      null,
    );
    appToken = r.body.auth.client_token;
  });

  it("sign/<role> issues the pod's own identity: templated URI SAN and CN, chain, numeric expiration", async () => {
    const { status, body, text } = await sign(appToken, { csr: await csrFor("app.payments", OWN_URI) });
    expect(status, text).to.equal(200);
    expect(text.endsWith("}\n")).to.equal(true);
    expect(body.warnings).to.equal(null);
    expect([body.lease_id, body.lease_duration, body.renewable]).to.deep.equal(["", 0, false]);
    expect(Object.keys(body.data).sort()).to.deep.equal([
      "ca_chain",
      "certificate",
      "expiration",
      "issuing_ca",
      "not_before",
      "serial_number",
    ]);
    const leaf = new X509Certificate(body.data.certificate);
    expect(subjectAltNames(leaf).uris).to.deep.equal([OWN_URI]);
    expect(leaf.subject).to.equal("CN=app.payments");
    expect(body.data.expiration)
      .to.be.a("number")
      .and.equal(Math.floor(Date.parse(leaf.validTo) / 1000));
    expect(body.data.not_before).to.equal(Math.floor(Date.parse(leaf.validFrom) / 1000));
    expect(body.data.serial_number).to.match(/^[0-9a-f]{2}(:[0-9a-f]{2})+$/);
    expect(body.data.certificate.endsWith("-----END CERTIFICATE-----")).to.equal(true);
    expect(body.data.ca_chain).to.be.an("array").with.length(2);
    expect(body.data.ca_chain[0]).to.equal(body.data.issuing_ca);
    expect(new X509Certificate(body.data.issuing_ca).subject).to.equal("CN=contract intermediate CA");
    expect(new X509Certificate(body.data.ca_chain[1]).subject).to.equal("CN=contract root CA");
  });

  it("sign through the product's pkiSign: the leaf chains to the intermediate", async () => {
    const client = await ctx().login("payments", "app");
    const csrPem = await csrFor("app.payments", OWN_URI);
    const cert = await client.pkiSign({ role: "app", csrPem, commonName: "", ttlSec: 600 });
    const leaf = new X509Certificate(cert.certificatePem);
    expect(leaf.checkIssued(new X509Certificate(cert.issuingCaPem))).to.equal(true);
    expect(cert.caChainPems).to.have.length(2);
    expect(cert.expirationSec - Date.now() / 1000).to.be.within(500, 700);
    expect(cert.warnings).to.deep.equal([]);
  });

  it("issue/<role> through the product's pkiIssue returns an EC key and the templated names", async () => {
    const client = await ctx().login("payments", "app");
    const cert = await client.pkiIssue({ role: "app", commonName: "app.payments", uriSans: [OWN_URI], keyType: "ec" });
    expect(cert.privateKeyPem).to.match(/^-----BEGIN EC PRIVATE KEY-----/);
    const leaf = new X509Certificate(cert.certificatePem);
    expect(subjectAltNames(leaf).uris).to.deep.equal([OWN_URI]);
    expect(leaf.subject).to.equal("CN=app.payments");
  });

  it("caps a TTL above the role's max_ttl with Vault's warning", async () => {
    const { status, body } = await sign(appToken, { csr: await csrFor("app.payments", OWN_URI), ttl: "3h" });
    expect(status).to.equal(200);
    expect(body.warnings).to.deep.equal([
      'TTL "3h0m0s" is longer than permitted maxTTL "2h0m0s", so maxTTL is being used',
    ]);
  });

  it("refuses a CSR naming another service account's URI, and the product hints at allowed_uri_sans", async () => {
    const csr = await csrFor("app.payments", OTHER_URI);
    const { status, body } = await sign(appToken, { csr });
    expect(status).to.equal(400);
    expect(body).to.deep.equal({
      errors: ["URI Subject Alternative Names were provided via CSR which are not valid for this role"],
    });
    const client = await ctx().login("payments", "app");
    const err = await rejectionOf(client.pkiSign({ role: "app", csrPem: csr, commonName: "" }));
    expect(err.code).to.equal("VAULT_PKI_REFUSED");
    expect(err.hint).to.include("allowed_uri_sans");
  });

  it("refuses a CSR naming another service account's CN", async () => {
    const { status, body } = await sign(appToken, { csr: await csrFor("short.payments", OWN_URI) });
    expect([status, body]).to.deep.equal([400, { errors: ["common name short.payments not allowed by this role"] }]);
  });

  it("refuses issue/<role> for another service account's URI SAN", async () => {
    const r = await ctx().target.raw(
      "POST",
      "pki/issue/app",
      { common_name: "app.payments", uri_sans: OTHER_URI, format: "pem" },
      appToken,
    );
    expect(r.status).to.equal(400);
    expect(r.body).to.deep.equal({
      errors: ["URI Subject Alternative Names were provided via the API which are not valid for this role"],
    });
  });

  it("refuses the templated names to a token without an entity (root)", async () => {
    const { status, body } = await sign(ctx().target.rootToken, { csr: await csrFor("app.payments", OWN_URI) });
    expect(status).to.equal(400);
    expect(body.errors).to.have.length(1);
    expect(body.errors[0]).to.match(
      /^(common name app\.payments|URI Subject Alternative Names were provided via CSR).*not/,
    );
  });

  it("refuses an unknown role with 400, which the product reports as a missing role", async () => {
    const { status, body } = await ctx().target.raw("POST", "pki/sign/nope", { csr: "x" });
    expect([status, body]).to.deep.equal([400, { errors: ["unknown role: nope"] }]);
    const csrPem = await csrFor("a.b", OWN_URI);
    const err = await rejectionOf(ctx().root.pkiSign({ role: "nope", csrPem, commonName: "" }));
    expect(err.code).to.equal("VAULT_PKI_ROLE_MISSING");
  });

  it("refuses a CSR that is not one with 400", async () => {
    const { status, body } = await sign(appToken, { csr: "not a csr" });
    expect(status).to.equal(400);
    expect(body.errors).to.deep.equal(["csr contains no data"]);
  });
});

describeEachTarget("policies as vault-config writes them", (ctx) => {
  let appToken = "";
  before(async () => {
    const r = await ctx().target.raw(
      "POST",
      "auth/kubernetes/login",
      { role: "app", jwt: ctx().jwt("payments", "app") },
      null,
    );
    appToken = r.body.auth.client_token;
  });

  it("reads back the policy text vault-config wrote", async () => {
    const binding = ctx().config.bindings.find((b) => b.name === "app")!;
    const { status, body } = await ctx().target.raw("GET", "sys/policies/acl/iamra-app");
    expect(status).to.equal(200);
    expect(body.data).to.include({ name: "iamra-app", policy: bindingPolicy("pki", binding), version: 1 });
    expect(Date.parse(body.data.modified)).to.be.closeTo(Date.now(), 120_000);
    expect(body).to.not.have.property("policy");
  });

  it("lets the login token use only its own role: sign elsewhere is 403, and the product says which path", async () => {
    const csr = await csrFor("app.payments", OWN_URI);
    const other = await ctx().target.raw("POST", "pki/sign/short", { csr }, appToken);
    expect(other.status).to.equal(403);
    expect(other.body).to.deep.equal({ errors: ["1 error occurred:\n\t* permission denied\n\n"] });
    const client = await ctx().login("payments", "app");
    const err = await rejectionOf(client.pkiSign({ role: "short", csrPem: csr, commonName: "" }));
    expect(err.code).to.equal("VAULT_PKI_DENIED");
    expect(err.hint).to.include("pki/sign/short");
  });

  it("denies reading the PKI role and cubbyhole (token_no_default_policy), allows token self-management", async () => {
    const role = await ctx().target.raw("GET", "pki/roles/app", undefined, appToken);
    expect(role.status).to.equal(403);
    const cubby = await ctx().target.raw("GET", "cubbyhole/x", undefined, appToken);
    expect(cubby.status).to.equal(403);
    const self = await ctx().target.raw("GET", "auth/token/lookup-self", undefined, appToken);
    expect(self.status).to.equal(200);
    expect(self.body.data.policies).to.deep.equal(["iamra-app"]);
  });

  it("does not let the short binding's token issue (allowIssue is off there)", async () => {
    const jwt = ctx().jwt("payments", "short");
    const r = await ctx().target.raw("POST", "auth/kubernetes/login", { role: "short", jwt }, null);
    const issue = await ctx().target.raw(
      "POST",
      "pki/issue/short",
      { common_name: "short.payments", uri_sans: OTHER_URI },
      r.body.auth.client_token,
    );
    expect(issue.status).to.equal(403);
  });
});
