import { readFile, readdir } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { ConfigError } from "../lib/errors.js";
import type { Logger } from "../lib/log.js";
import { systemClock } from "../lib/time/clock.js";
import { proxyEnvironmentFrom } from "../lib/net/proxyEnvironment.js";
import { vaultClientFromSettings } from "../lib/vault/vaultClientFromSettings.js";
import type { VaultClient } from "../lib/vault/VaultClient.js";
import { parseVaultConfig } from "../lib/vaultconfig/parseVaultConfig.js";
import type { VaultConfig } from "../lib/vaultconfig/VaultConfig.js";
import type { VaultConnectionValues } from "./vaultConfigSettings.js";

/** Reads a file named by a setting; an unreadable file is a usage error (exit 2). */
export async function readSettingFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (cause) {
    throw new ConfigError({
      message: `cannot read ${what} ${path} (${(cause as { code?: string }).code ?? (cause as Error).message})`,
      hint: "check the path and permissions",
      cause,
    });
  }
}

/**
 * Reads and validates the config file; files it names are resolved relative to its directory. Nothing touches Vault.
 */
export async function loadConfigFile(path: string): Promise<VaultConfig> {
  const text = await readSettingFile(path, "--config");
  const base = dirname(resolve(path));
  return parseVaultConfig(text, {
    source: path,
    readFile: (p) => readFileSync(isAbsolute(p) ? p : join(base, p), "utf8"),
  });
}

/**
 * Creates the Vault client with the operator's token ($VAULT_TOKEN or --vault-token-file), honouring HTTPS_PROXY,
 * HTTP_PROXY and NO_PROXY from `env`.
 */
export async function connectVault(
  v: VaultConnectionValues,
  env: Record<string, string | undefined>,
  log: Logger,
): Promise<VaultClient> {
  const token = v.vaultTokenFile
    ? (await readSettingFile(v.vaultTokenFile, "--vault-token-file")).trim()
    : env.VAULT_TOKEN?.trim();
  if (!token)
    throw new ConfigError({
      message: "no Vault token: set $VAULT_TOKEN or --vault-token-file",
      hint: "the token needs the policy in vault-config/README.md",
    });
  const io = { readFile: (p: string) => readFile(p, "utf8"), readDir: (p: string) => readdir(p) };
  const settings = { ...v, proxies: proxyEnvironmentFrom(env) };
  const vault = await vaultClientFromSettings(settings, io, { clock: systemClock, log });
  vault.useToken(token);
  return vault;
}
