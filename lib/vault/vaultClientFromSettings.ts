import type { Logger } from "../log.js";
import type { ProxyEnvironment } from "../net/proxyEnvironment.js";
import { readCaDirectory, readCaFile, type CaFileReader } from "../pipeline/readCaCertificates.js";
import type { Clock } from "../time/clock.js";
import { createVaultClient } from "./createVaultClient.js";
import type { VaultClient } from "./VaultClient.js";

/** The Vault connection settings every command shares (VAULT_ADDR, VAULT_CACERT, ... as resolved by the command). */
export interface VaultConnectionSettings {
  vaultAddr: string;
  vaultNamespace?: string;
  /** PEM file of CA certificates (VAULT_CACERT); wins over vaultCapath. */
  vaultCacert?: string;
  /** Directory of *.pem / *.crt CA files (VAULT_CAPATH). */
  vaultCapath?: string;
  vaultSkipVerify: boolean;
  vaultTimeoutMs: number;
  vaultMaxAttempts: number;
  /** Time budget for Vault's 429 answers, ms; without it a 429 counts as a failed attempt. */
  throttleBudgetMs?: number;
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY, read by the command. */
  proxies?: ProxyEnvironment;
}

/** The time, log and stop the client runs with. */
export interface VaultClientDeps {
  clock: Clock;
  log: Logger;
  /** The command's stop: ends calls in flight and retry waits at once. */
  signal?: AbortSignal;
}

/**
 * The one way commands build their Vault client: reads the CA files (an unreadable or non-PEM one is a ConfigError,
 * CA_CERT_INVALID, before any TLS handshake) and creates the client from the settings.
 */
export async function vaultClientFromSettings(
  s: VaultConnectionSettings,
  io: CaFileReader,
  deps: VaultClientDeps,
): Promise<VaultClient> {
  let caCertPem: string | undefined;
  if (s.vaultCacert) caCertPem = await readCaFile(io, s.vaultCacert, "VAULT_CACERT");
  else if (s.vaultCapath) caCertPem = await readCaDirectory(io, s.vaultCapath, "VAULT_CAPATH");
  return createVaultClient({
    addr: s.vaultAddr,
    namespace: s.vaultNamespace,
    caCertPem,
    tlsSkipVerify: s.vaultSkipVerify,
    timeoutMs: s.vaultTimeoutMs,
    maxAttempts: s.vaultMaxAttempts,
    throttleBudgetMs: s.throttleBudgetMs,
    proxies: s.proxies,
    clock: deps.clock,
    log: deps.log,
    signal: deps.signal,
  });
}
