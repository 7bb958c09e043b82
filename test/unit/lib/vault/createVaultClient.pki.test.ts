import { expect } from "chai";
import { IamraError } from "../../../../lib/errors.js";
import { startScriptedVault, type ScriptedVault } from "./scriptedVault.js";
import { testClient } from "./testClient.js";

const CERT = "-----BEGIN CERTIFICATE-----\nMIIleaf\n-----END CERTIFICATE-----";
const INT = "-----BEGIN CERTIFICATE-----\nMIIint\n-----END CERTIFICATE-----";
const ROOT = "-----BEGIN CERTIFICATE-----\nMIIroot\n-----END CERTIFICATE-----";

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
