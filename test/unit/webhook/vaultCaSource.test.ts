import { expect } from "chai";
import { vaultCaSource } from "../../../webhook/vaultCaSource.js";
import { expectIamraError } from "../../support/expectIamraError.js";

describe("vaultCaSource", () => {
  const addr = { name: "VAULT_ADDR", value: "https://vault.example.com:8200" };
  const cacert = { name: "VAULT_CACERT", value: "/etc/vault/ca.pem" };

  it("needs nothing when the settings name no CA", () => {
    expect(vaultCaSource([addr], { vaultCaKey: "ca.crt" })).to.equal(undefined);
  });

  it("mounts the ConfigMap's key when one is named", () => {
    expect(vaultCaSource([addr, cacert], { vaultCaConfigMap: "vault-ca", vaultCaKey: "bundle.pem" })).to.deep.equal({
      configMap: "vault-ca",
      key: "bundle.pem",
    });
  });

  it("refuses VAULT_CACERT without a ConfigMap, and VAULT_CAPATH always, listing both problems", async () => {
    const err = await expectIamraError(
      async () => vaultCaSource([addr, cacert, { name: "VAULT_CAPATH", value: "/etc/ca" }], { vaultCaKey: "ca.crt" }),
      "CONFIG_INVALID",
    );
    expect((err as unknown as { problems: string[] }).problems).to.have.length(2);
    expect(err.hint).to.include("--vault-ca-configmap");
  });
});
