import { expect } from "chai";
import { readFileSync } from "node:fs";
import { exitCodeFor, IamraError } from "../../../../lib/errors.js";
import type { VaultClient } from "../../../../lib/vault/VaultClient.js";
import { applyVaultConfig } from "../../../../lib/vaultconfig/applyVaultConfig.js";
import { parseVaultConfig } from "../../../../lib/vaultconfig/parseVaultConfig.js";
import { expectIamraError } from "../../../support/expectIamraError.js";

const config = parseVaultConfig(`
trustDomain: example.org
pki:
  intermediate: { signedBy: { type: external } }
bindings:
  - { name: a, serviceAccounts: [{ namespace: n, name: s }] }
`);

/** A Vault client over fixed read answers that records writes (only what applyVaultConfig uses). */
function fakeVault(reads: Record<string, Record<string, unknown>>): VaultClient & { writes: string[] } {
  const writes: string[] = [];
  return {
    writes,
    read: async (path: string) => reads[path] ?? null,
    write: async (path: string) => {
      writes.push(path);
      return null;
    },
    delete: async (path: string) => {
      writes.push(`delete ${path}`);
      return null;
    },
  } as unknown as VaultClient & { writes: string[] };
}

describe("applyVaultConfig", () => {
  it("refuses to change anything when a mount of another type is in the way", async () => {
    const vault = fakeVault({
      "sys/mounts": { data: { "pki/": { type: "kv", accessor: "kv_1", config: { max_lease_ttl: 0 } } } },
      "sys/auth": { data: {} },
    });
    const err = await expectIamraError(() => applyVaultConfig(vault, config), "VAULT_CONFIG_CONFLICT");
    expect(err.message).to.contain("! conflict secrets engine sys/mounts/pki");
    expect(err.message).to.contain("a kv mount is already at pki");
    expect(vault.writes).to.deep.equal([]);
  });

  it("refuses a signed intermediate that does not chain to the given root before touching Vault", async () => {
    const vault = fakeVault({});
    const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    let thrown: unknown;
    await applyVaultConfig(vault, config, { signedIntermediate: { certificatePem: pem, rootPem: "" } }).catch(
      (e: unknown) => (thrown = e),
    );
    expect(thrown).to.be.instanceOf(IamraError);
    expect(vault.writes).to.deep.equal([]);
  });

  it("treats --signed-intermediate with a config whose intermediate is not signedBy external as a usage error (exit 2)", async () => {
    const mountSigned = parseVaultConfig(`
trustDomain: example.org
pki:
  intermediate: { signedBy: { type: mount, mount: pki-root } }
bindings:
  - { name: a, serviceAccounts: [{ namespace: n, name: s }] }
`);
    const fixture = (name: string) =>
      readFileSync(new URL(`../../../fixtures/roles-anywhere/pki/${name}`, import.meta.url), "utf8");
    const vault = fakeVault({});
    const signedIntermediate = { certificatePem: fixture("ec-int-cert.pem"), rootPem: fixture("ec-ca-cert.pem") };
    const err = await expectIamraError(
      () => applyVaultConfig(vault, mountSigned, { signedIntermediate }),
      "VAULT_CONFIG_INTERMEDIATE_INVALID",
    );
    expect(exitCodeFor(err)).to.equal(2);
    expect(vault.writes).to.deep.equal([]);
  });
});
