import { expect } from "chai";
import { issueCertificate } from "../../../../lib/pipeline/issueCertificate.js";
import { silentLogger } from "../../../../lib/log.js";
import type { IamraError } from "../../../../lib/errors.js";
import { startScriptedVault, type ScriptedVault } from "../vault/scriptedVault.js";
import { testClient } from "../vault/testClient.js";

describe("issueCertificate", () => {
  let vault: ScriptedVault;
  beforeEach(async () => (vault = await startScriptedVault()));
  afterEach(async () => vault.close());

  it("names the CSR's CN and URI SAN in the hint when the PKI role refuses a CSR, not sending them", async () => {
    const { client } = testClient(vault.url);
    client.useToken("hvs.t");
    const uri = "spiffe://cluster.local/ns/demo/sa/app";
    vault.reply({ status: 400, body: { errors: [`URI Subject Alternative Name ${uri} not allowed by this role`] } });
    const cfg = {
      mount: "pki",
      role: "app",
      mode: "sign" as const,
      keyKind: "ec-p256" as const,
      commonName: "app.demo",
      uriSans: [uri],
    };
    const deps = { nowMs: () => Date.now(), log: silentLogger() };
    const err = (await issueCertificate(client, cfg, deps).catch((e) => e)) as IamraError;
    expect(err.code).to.equal("VAULT_PKI_REFUSED");
    expect(err.hint)
      .to.contain(JSON.stringify([uri]))
      .and.contain('"app.demo"');
    const body = vault.received[0]!.body as Record<string, unknown>;
    expect(body).to.have.property("csr");
    expect(body).to.not.have.property("common_name"); // the CSR carries the names (use_csr_common_name / use_csr_sans)
    expect(body).to.not.have.property("uri_sans");
  });
});
