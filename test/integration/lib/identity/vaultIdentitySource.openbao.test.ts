import { readFile } from "node:fs/promises";
import { expect } from "chai";
import { silentLogger } from "../../../../lib/log.js";
import { createVaultIdentitySource } from "../../../../lib/identity/vaultIdentitySource.js";
import type { IdentitySource } from "../../../../lib/identity/identitySource.js";
import { systemClock } from "../../../../lib/time/clock.js";
import { createVaultClient } from "../../../../lib/vault/createVaultClient.js";
import { applyVaultConfig } from "../../../../lib/vaultconfig/applyVaultConfig.js";
import { loadConfigFile } from "../../../../vault-config/openVaultConfig.js";
import { expectIamraError } from "../../../support/expectIamraError.js";
import { startOpenBaoStack, type OpenBaoStack } from "../../../support/openbaoStack.js";

describe("createVaultIdentitySource (real OpenBao)", function () {
  this.timeout(60_000);
  let s: OpenBaoStack;
  let tokenFile: string;
  const sources: IdentitySource[] = [];

  const client = () =>
    createVaultClient({ addr: s.bao.url, timeoutMs: 10_000, maxAttempts: 1, clock: systemClock, log: silentLogger() });

  async function apply(): Promise<void> {
    const root = client();
    root.useToken(s.bao.rootToken);
    try {
      const result = await applyVaultConfig(root, await loadConfigFile(s.configFile));
      expect(result.remaining).to.deep.equal([]);
    } finally {
      root.close();
    }
  }

  before(async () => {
    s = await startOpenBaoStack();
    await apply();
    tokenFile = await s.saTokenFile("demo", "app");
  });
  after(async () => {
    for (const source of sources) await source.close();
    await s?.close();
  });

  function source(): IdentitySource {
    const vault = client();
    const created = createVaultIdentitySource({
      vault,
      clock: systemClock,
      log: silentLogger(),
      newCertificateEveryTime: true,
      auth: { method: "kubernetes", mountPath: "kubernetes", role: "demo", readJwt: () => readFile(tokenFile, "utf8") },
      certificate: {
        mount: "pki",
        role: "demo",
        mode: "sign",
        keyKind: "ec-p256",
        commonName: "app.demo",
        uriSans: ["spiffe://cluster.local/ns/demo/sa/app"],
      },
    });
    sources.push(created);
    return created;
  }

  /** Accessors of the live tokens that kubernetes auth issued for Vault role `role`. */
  async function tokensOfRole(role: string): Promise<string[]> {
    const list = await s.bao.api("LIST", "auth/token/accessors");
    const out: string[] = [];
    for (const accessor of (list.body?.data?.keys ?? []) as string[]) {
      const info = await s.bao.api("POST", "auth/token/lookup-accessor", { accessor });
      if (info.body?.data?.meta?.role === role) out.push(accessor);
    }
    return out;
  }

  it("logs in again when OpenBao no longer knows its token (bare 403 permission denied on pki/sign)", async () => {
    const id = source();
    const first = await id.get();
    const [old, ...more] = await tokensOfRole("demo");
    expect(more, "one token after the first login").to.deep.equal([]);
    expect((await s.bao.api("POST", "auth/token/revoke-accessor", { accessor: old })).status).to.equal(204);
    // what the server answers a token it does not know: the same 403 as a policy that denies
    const denied = await s.bao.api("POST", "pki/sign/demo", { csr: "x" }, "hvs.not-a-token");
    expect([denied.status, denied.body]).to.deep.equal([403, { errors: ["permission denied"] }]);

    const second = await id.get();
    expect(second.certificate.serialNumber).to.not.equal(first.certificate.serialNumber);
    const now = await tokensOfRole("demo");
    expect(now).to.have.length(1);
    expect(now[0]).to.not.equal(old);
  });

  it("throws VAULT_PKI_DENIED after a new login when the policy really denies", async () => {
    const others = await tokensOfRole("demo");
    const id = source();
    await id.get();
    const [own] = (await tokensOfRole("demo")).filter((a) => !others.includes(a));
    expect(own, "the source's token").to.be.a("string");
    const policy = await s.bao.api("GET", "sys/policies/acl/iamra-demo");
    const narrowed = String(policy.body.data.policy).replace('path "pki/sign/demo"', 'path "pki/sign/nothing"');
    expect((await s.bao.api("PUT", "sys/policies/acl/iamra-demo", { policy: narrowed })).status).to.equal(204);
    try {
      await expectIamraError(() => id.get(), "VAULT_PKI_DENIED");
      // a new login replaced (and revoked) the source's first token
      const fresh = (await tokensOfRole("demo")).filter((a) => !others.includes(a));
      expect(fresh).to.have.length(1);
      expect(fresh[0]).to.not.equal(own);
    } finally {
      await apply();
    }
  });
});
