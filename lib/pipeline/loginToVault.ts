import type { VaultClient, VaultAuth } from "../vault/VaultClient.js";
import type { VaultAuthConfig } from "./vaultAuthConfig.js";

/** Logs in to Vault (kubernetes auth) or adopts a token; the client keeps the token for later calls. */
export async function loginToVault(vault: VaultClient, auth: VaultAuthConfig, nowMs: number): Promise<VaultAuth> {
  if (auth.method === "kubernetes") {
    return vault.loginKubernetes({ mountPath: auth.mountPath, role: auth.role, jwt: await auth.readJwt() });
  }
  vault.useToken(await auth.readToken());
  const info = await vault.lookupSelf();
  return {
    clientToken: "",
    accessor: info.accessor,
    policies: info.policies,
    leaseDurationSec: info.ttlSec,
    renewable: info.renewable,
    metadata: {},
    obtainedAtMs: nowMs,
  };
}
