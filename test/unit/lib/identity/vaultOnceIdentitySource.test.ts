import { expect } from "chai";
import { createPublicKey } from "node:crypto";
import { x509 } from "../../../../devstack/certificates/x509Library.js";
import { makeCertificate, type GeneratedCertificate } from "../../../../devstack/certificates/makeCertificate.js";
import { createVaultOnceIdentitySource } from "../../../../lib/identity/vaultOnceIdentitySource.js";
import type { VaultClient } from "../../../../lib/vault/VaultClient.js";
import { silentLogger } from "../../../../lib/log.js";
import { IamraError } from "../../../../lib/errors.js";

/** A Vault client whose login succeeds or fails, that signs CSRs with `ca`, recording the calls made. */
function fakeVault(ca: GeneratedCertificate, loginFails = false) {
  const calls: string[] = [];
  const vault = {
    loginKubernetes: async () => {
      calls.push("login");
      if (loginFails) throw new IamraError({ code: "VAULT_TOKEN_INVALID", message: "login refused" });
      return { clientToken: "s.t", accessor: "a", policies: [], leaseDurationSec: 60, renewable: true, metadata: {} };
    },
    pkiSign: async ({ csrPem }: { csrPem: string }) => {
      calls.push("pki-sign");
      const publicKey = await new x509.Pkcs10CertificateRequest(csrPem).publicKey.export();
      const keys = { publicKey, privateKey: undefined as never };
      const leaf = await makeCertificate({ subject: "CN=app.demo", issuer: ca, keys });
      const issued = { certificatePem: leaf.pem, issuingCaPem: ca.pem, caChainPems: [] };
      return { ...issued, serialNumber: "01", expirationSec: 0, warnings: [] };
    },
    close: () => undefined,
  };
  return { vault: vault as unknown as VaultClient, calls };
}

describe("createVaultOnceIdentitySource", () => {
  let ca: GeneratedCertificate;
  before(async () => {
    ca = await makeCertificate({ subject: "CN=Test CA", ca: true });
  });
  const source = (vault: VaultClient) =>
    createVaultOnceIdentitySource({
      vault,
      clock: { now: () => Date.now(), sleep: async () => undefined },
      log: silentLogger(),
      auth: { method: "kubernetes", mountPath: "kubernetes", role: "app", readJwt: async () => "jwt" },
      certificate: {
        mount: "pki",
        role: "app",
        mode: "sign",
        keyKind: "ec-p256",
        commonName: "app.demo",
        uriSans: ["spiffe://cluster.local/ns/demo/sa/app"],
      },
    });

  it("logs in, then has Vault sign a CSR for the key it returns", async () => {
    const { vault, calls } = fakeVault(ca);
    const identity = await source(vault).get();
    expect(calls).to.deep.equal(["login", "pki-sign"]);
    const certKey = identity.certificate.publicKey.export({ type: "spki", format: "der" });
    const ourKey = createPublicKey(identity.key.keyObject).export({ type: "spki", format: "der" });
    expect(certKey.toString("hex")).to.equal(ourKey.toString("hex"));
  });

  it("reports the login failure and asks for no certificate when the login fails", async () => {
    const { vault, calls } = fakeVault(ca, true);
    const err = await source(vault)
      .get()
      .catch((e: unknown) => e);
    expect((err as IamraError).code).to.equal("VAULT_TOKEN_INVALID");
    expect(calls).to.deep.equal(["login"]);
  });
});
