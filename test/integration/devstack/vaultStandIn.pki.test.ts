import { expect } from "chai";
import { X509Certificate } from "node:crypto";
import { opensslCsr, opensslText, startVaultKit, type VaultKit, rejection } from "./vaultTestKit.js";

describe("startVaultStandIn (PKI)", function () {
  this.timeout(30_000);
  let kit: VaultKit;
  let rootPem: string;

  before(async () => {
    kit = await startVaultKit();
    rootPem = String(((await kit.root.read("pki/cert/ca")) as { data: { certificate: string } }).data.certificate);
  });
  after(async () => kit?.close());

  it("signs a CSR whose URI SAN names the caller's own service account, with client-auth EKU and the root chain", async () => {
    const app = await kit.login("payments", "app");
    const { csr } = await opensslCsr("app.payments.svc", ["spiffe://cluster.local/ns/payments/sa/app"]);
    const res = (await app.write("pki/sign/app", { csr })) as { data: Record<string, unknown>; warnings: unknown };
    const pem = String(res.data["certificate"]);
    expect(pem.startsWith("-----BEGIN CERTIFICATE-----") && pem.endsWith("-----END CERTIFICATE-----")).to.equal(true);
    expect(res.data["expiration"]).to.be.a("number");
    expect(res.data["serial_number"]).to.match(/^[0-9a-f]{2}(:[0-9a-f]{2})+$/);
    expect(res.data["issuing_ca"]).to.equal(rootPem);
    expect(res.data["ca_chain"]).to.deep.equal([rootPem]);
    const cert = new X509Certificate(pem);
    expect(cert.subjectAltName).to.include("URI:spiffe://cluster.local/ns/payments/sa/app");
    expect(cert.verify(new X509Certificate(rootPem).publicKey)).to.equal(true);
    const text = await opensslText(pem);
    expect(text).to.match(/CA:FALSE/);
    expect(text).to.match(/TLS Web Client Authentication/);
    expect(text).not.to.match(/TLS Web Server Authentication/);
    const rootText = await opensslText(rootPem);
    const ski = /Subject Key Identifier:\s*\n\s*([0-9A-F:]+)/.exec(rootText)![1];
    expect(/Authority Key Identifier:\s*\n\s*(?:keyid:)?([0-9A-F:]+)/.exec(text)?.[1]).to.equal(ski);
    const ttl = Number(res.data["expiration"]) - Math.floor(Date.now() / 1000);
    expect(ttl).to.be.within(3590, 3600);
    const last = kit.vault.requests.at(-1)!;
    expect(last).to.include({ method: "POST", path: "/v1/pki/sign/app" });
    expect(last.token).to.match(/^[A-Za-z0-9]{24}$/);
  });

  it("refuses a CSR naming another service account with Vault's message", async () => {
    const app = await kit.login("payments", "app");
    const { csr } = await opensslCsr("app.payments.svc", ["spiffe://cluster.local/ns/payments/sa/admin"]);
    const err = await rejection(app.write("pki/sign/app", { csr }));
    expect(err.response?.statusCode).to.equal(400);
    expect(err.message).to.equal(
      "URI Subject Alternative Names were provided via CSR which are not valid for this role",
    );
  });

  it("refuses templated URI SANs to a token without an entity (root), and URI SANs via the API", async () => {
    const { csr } = await opensslCsr("x", ["spiffe://cluster.local/ns/payments/sa/app"]);
    const viaCsr = await rejection(kit.root.write("pki/sign/app", { csr }));
    expect(viaCsr.message).to.equal(
      "URI Subject Alternative Names were provided via CSR which are not valid for this role",
    );
    const viaApi = await rejection(
      kit.root.write("pki/issue/app", { common_name: "x", uri_sans: "spiffe://cluster.local/ns/payments/sa/app" }),
    );
    expect(viaApi.message).to.equal(
      "URI Subject Alternative Names were provided via the API which are not valid for this role",
    );
  });

  it("issues a key and certificate on issue/:role, capping the TTL at the role's max_ttl with a warning", async () => {
    const app = await kit.login("payments", "app");
    const res = (await app.write("pki/issue/app", {
      common_name: "app",
      uri_sans: "spiffe://cluster.local/ns/payments/sa/app",
      ttl: "48h",
    })) as {
      data: Record<string, string>;
      warnings: string[];
    };
    expect(res.warnings).to.deep.equal([
      `TTL "48h0m0s" is longer than permitted maxTTL "24h0m0s", so maxTTL is being used`,
    ]);
    expect(res.data["private_key_type"]).to.equal("ec");
    expect(res.data["private_key"]).to.match(/^-----BEGIN EC PRIVATE KEY-----/);
    const cert = new X509Certificate(res.data["certificate"]!);
    expect(Date.parse(cert.validTo) - Date.now()).to.be.within(24 * 3600_000 - 5000, 24 * 3600_000);
  });

  it("rejects a forged CSR signature and a missing CSR with Vault's strings", async () => {
    const { csr } = await opensslCsr("app", []);
    const der = Buffer.from(csr.replace(/-----[^-]+-----|\s/g, ""), "base64");
    der[der.length - 3]! ^= 0xff;
    const forged = `-----BEGIN CERTIFICATE REQUEST-----\n${der
      .toString("base64")
      .match(/.{1,64}/g)!
      .join("\n")}\n-----END CERTIFICATE REQUEST-----\n`;
    expect((await rejection(kit.root.write("pki/sign/app", { csr: forged }))).message).to.equal(
      "request signature invalid",
    );
    expect((await rejection(kit.root.write("pki/sign/app", {}))).message).to.equal("csr contains no data");
    expect((await rejection(kit.root.write("pki/issue/nope", { common_name: "a" }))).message).to.equal(
      "unknown role: nope",
    );
  });

  it("serves the CA and its chain as JSON without a token (cert/ca, cert/ca_chain)", async () => {
    const chain = (await kit.root.read("pki/cert/ca_chain")) as { data: Record<string, unknown> };
    expect(chain.data["ca_chain"]).to.equal(rootPem);
    const ca = await fetch(`${kit.vault.url}/v1/pki/cert/ca`);
    expect(((await ca.json()) as { data: { certificate: string } }).data.certificate).to.equal(rootPem);
  });

  it("caps a root's TTL at the untuned mount max (768h) with Vault's warning", async () => {
    await kit.root.mount({ mount_point: "pki_untuned", type: "pki" });
    const res = (await kit.root.write("pki_untuned/root/generate/exported", {
      common_name: "Short Root",
      ttl: "87600h",
      key_type: "ec",
    })) as {
      data: Record<string, unknown>;
      warnings: string[];
    };
    expect(res.warnings).to.include(
      `TTL "87600h0m0s" is longer than permitted maxTTL "768h0m0s", so maxTTL is being used`,
    );
    expect(Number(res.data["expiration"]) - Math.floor(Date.now() / 1000)).to.be.within(768 * 3600 - 5, 768 * 3600);
    expect(res.data["private_key"]).to.match(/^-----BEGIN EC PRIVATE KEY-----/);
    await kit.root.write("pki_untuned/roles/long", {
      allow_any_name: true,
      ttl: "8000h",
      max_ttl: "9000h",
      key_type: "ec",
    });
    const err = await rejection(kit.root.write("pki_untuned/issue/long", { common_name: "a" }));
    expect(err.response?.statusCode).to.equal(400);
    expect(err.message).to.match(
      /^cannot satisfy request, as TTL would result in notAfter of \S+Z that is beyond the expiration of the CA certificate at \S+Z$/,
    );
  });

  it("builds an intermediate in another mount and chains leaves to the root", async () => {
    await kit.root.mount({ mount_point: "pki_int", type: "pki" });
    await kit.root.write("sys/mounts/pki_int/tune", { max_lease_ttl: "43800h" });
    const gen = (await kit.root.write("pki_int/intermediate/generate/internal", {
      common_name: "Devstack Intermediate",
      key_type: "ec",
    })) as {
      data: { csr: string };
      warnings: string[];
    };
    expect(gen.data.csr).to.match(/^-----BEGIN CERTIFICATE REQUEST-----/);
    const signed = (await kit.root.write("pki/root/sign-intermediate", { csr: gen.data.csr, ttl: "43800h" })) as {
      data: { certificate: string; ca_chain: string[] };
    };
    expect(signed.data.ca_chain).to.deep.equal([signed.data.certificate, rootPem]);
    const bundle = `${signed.data.certificate}\n${rootPem}`;
    const set1 = (await kit.root.write("pki_int/intermediate/set-signed", { certificate: bundle })) as {
      data: Record<string, string[]>;
    };
    expect(set1.data["imported_issuers"]).to.have.length(2);
    const set2 = (await kit.root.write("pki_int/intermediate/set-signed", { certificate: bundle })) as {
      data: Record<string, string[]>;
    };
    expect(set2.data["imported_issuers"]).to.deep.equal([]);
    expect(set2.data["existing_issuers"]).to.have.length(2);
    await kit.root.write("pki_int/roles/svc", {
      allowed_domains: "svc.local",
      allow_subdomains: true,
      key_type: "ec",
      ttl: "1h",
    });
    const leaf = (await kit.root.write("pki_int/issue/svc", { common_name: "a.svc.local" })) as {
      data: { ca_chain: string[]; issuing_ca: string };
    };
    expect(leaf.data.ca_chain).to.deep.equal([signed.data.certificate, rootPem]);
    expect(leaf.data.issuing_ca).to.equal(signed.data.certificate);
    const bad = await rejection(kit.root.write("pki_int/issue/svc", { common_name: "a.other.local" }));
    expect(bad.message).to.equal("common name a.other.local not allowed by this role");
  });
});
