import { expect } from "chai";
import type { IamraError } from "../../../../lib/errors.js";
import { silentLogger } from "../../../../lib/log.js";
import {
  vaultClientFromSettings,
  type VaultConnectionSettings,
} from "../../../../lib/vault/vaultClientFromSettings.js";
import { startForwardProxy, type ForwardProxy } from "../../../support/forwardProxy.js";
import { loopbackTls } from "./loopbackTls.js";
import { startScriptedVault, type ScriptedVault } from "./scriptedVault.js";
import { fakeClock } from "./testClient.js";

const HEALTHY = { status: 200, body: { initialized: true, sealed: false, standby: false } };

/** File access over an in-memory map of path → content. */
function files(map: Record<string, string>) {
  return {
    readFile: async (p: string) => {
      if (!(p in map)) throw Object.assign(new Error(`no ${p}`), { code: "ENOENT" });
      return map[p]!;
    },
    readDir: async (dir: string) =>
      Object.keys(map)
        .filter((p) => p.startsWith(`${dir}/`))
        .map((p) => p.slice(dir.length + 1)),
  };
}

describe("vaultClientFromSettings", () => {
  let vault: ScriptedVault | undefined;
  let proxy: ForwardProxy | undefined;
  afterEach(async () => Promise.all([vault?.close(), proxy?.close()]));
  const base = (addr: string): VaultConnectionSettings => ({
    vaultAddr: addr,
    vaultSkipVerify: false,
    vaultTimeoutMs: 2_000,
    vaultMaxAttempts: 1,
  });
  const deps = () => ({ clock: fakeClock(), log: silentLogger() });

  it("trusts the CA read from VAULT_CACERT", async () => {
    const tls = await loopbackTls();
    vault = await startScriptedVault(tls);
    const settings = { ...base(vault.url), vaultCacert: "/ca.pem" };
    const client = await vaultClientFromSettings(settings, files({ "/ca.pem": tls.cert }), deps());
    vault.reply(HEALTHY);
    expect((await client.health()).initialized).to.equal(true);
    client.close();
  });

  it("reads every .pem of VAULT_CAPATH", async () => {
    const tls = await loopbackTls();
    vault = await startScriptedVault(tls);
    const io = files({ "/ca/a.pem": tls.cert, "/ca/readme.txt": "not a certificate" });
    const client = await vaultClientFromSettings({ ...base(vault.url), vaultCapath: "/ca" }, io, deps());
    vault.reply(HEALTHY);
    expect((await client.health()).sealed).to.equal(false);
    client.close();
  });

  it("refuses an unreadable VAULT_CACERT with CA_CERT_INVALID before any request", async () => {
    vault = await startScriptedVault();
    const e = (await vaultClientFromSettings(
      { ...base(vault.url), vaultCacert: "/missing.pem" },
      files({}),
      deps(),
    ).catch((x: unknown) => x)) as IamraError;
    expect(e.code).to.equal("CA_CERT_INVALID");
    expect(e.message).to.include("VAULT_CACERT");
    expect(vault.received).to.have.length(0);
  });

  it("sends the calls through the proxies of the settings", async () => {
    [vault, proxy] = await Promise.all([startScriptedVault(), startForwardProxy()]);
    const settings = { ...base(vault.url), proxies: { httpProxy: new URL(proxy.url) } };
    const client = await vaultClientFromSettings(settings, files({}), deps());
    vault.reply(HEALTHY);
    await client.health();
    expect(proxy.requests.map((r) => r.line)).to.deep.equal([
      `GET ${vault.url}/v1/sys/health?standbyok=true&sealedcode=200&uninitcode=200`,
    ]);
  });
});
