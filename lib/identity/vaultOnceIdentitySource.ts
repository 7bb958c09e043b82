import type { Logger } from "../log.js";
import type { Clock } from "../time/clock.js";
import type { VaultClient } from "../vault/VaultClient.js";
import { loginToVault } from "../pipeline/loginToVault.js";
import { issueCertificate, prepareCsr, type CertificateRequestConfig } from "../pipeline/issueCertificate.js";
import type { VaultAuthConfig } from "../pipeline/vaultAuthConfig.js";
import type { IdentitySource } from "./identitySource.js";

/** Options of the one-shot Vault identity source. */
export interface VaultOnceIdentitySourceOptions {
  vault: VaultClient;
  auth: VaultAuthConfig;
  certificate: CertificateRequestConfig;
  clock: Clock;
  log: Logger;
}

/**
 * Identity from Vault's PKI for a command that runs once (init): every get() logs in and has a new certificate issued;
 * nothing is kept between calls. In "sign" mode the key pair and CSR are made while the login is in flight (a login
 * failure is still the error reported first). close() closes the Vault client.
 */
export function createVaultOnceIdentitySource(o: VaultOnceIdentitySourceOptions): IdentitySource {
  const log = o.log.child({ component: "pipeline" });
  return {
    async get() {
      const prepared = o.certificate.mode === "sign" ? prepareCsr(o.certificate) : undefined;
      prepared?.catch(() => undefined); // awaited by issueCertificate; a failed login must not leave it unhandled
      await loginToVault(o.vault, o.auth, o.clock.now()); // lib/vault logs the login
      return issueCertificate(o.vault, o.certificate, { nowMs: () => o.clock.now(), log, prepared });
    },
    async close() {
      o.vault.close();
    },
  };
}
