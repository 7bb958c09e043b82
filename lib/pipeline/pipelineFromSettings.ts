import { join } from "node:path";
import type { Logger } from "pino";
import { ConfigError } from "../errors.js";
import type { Clock } from "../time/clock.js";
import { createVaultClient } from "../vault/createVaultClient.js";
import type { VaultClient } from "../vault/VaultClient.js";
import { serviceAccountFacts } from "../vault/serviceAccountFacts.js";
import { checkSessionArns } from "../rolesanywhere/arn.js";
import type { KeyKind } from "../x509/generateKeyPair.js";
import type { PipelineConfig } from "./obtainCredentials.js";
import type { VaultAuthConfig } from "./vaultAuthConfig.js";
import { readRequired, sessionFromSettings, type SessionSettings } from "./sessionFromSettings.js";

export { sessionFromSettings, type SessionSettings } from "./sessionFromSettings.js";

/** The resolved settings the pipeline is built from (vault, certificate request, Roles Anywhere, STS groups). */
export interface PipelineSettings extends SessionSettings {
  vaultAddr: string;
  vaultCacert?: string;
  vaultCapath?: string;
  vaultSkipVerify: boolean;
  vaultNamespace?: string;
  vaultAuthMethod: "kubernetes" | "token";
  vaultAuthMount: string;
  vaultRole?: string;
  saTokenFile: string;
  vaultTokenFile?: string;
  vaultTimeoutMs: number;
  vaultMaxAttempts: number;
  pkiMount: string;
  pkiRole?: string;
  pkiMode: "sign" | "issue";
  keyType: KeyKind;
  commonName?: string;
  uriSan?: string;
  trustDomain: string;
  certTtlMs?: number;
}

/** File and environment access, injected by the command. */
export interface SettingsIo {
  readFile: (path: string) => Promise<string>;
  readDir: (path: string) => Promise<string[]>;
  /** $VAULT_TOKEN, read by the command. */
  vaultTokenEnv?: string;
}

/**
 * Turns resolved settings into a pipeline config and a Vault client, checking cross-setting rules (all problems at once)
 * and reading the service-account token once to derive the default CN and SPIFFE URI SAN. `deps.signal` (the command's
 * stop) ends the Vault client's calls at once.
 */
export async function pipelineFromSettings(
  s: PipelineSettings,
  io: SettingsIo,
  deps: { clock: Clock; log: Logger; signal?: AbortSignal },
): Promise<{ config: PipelineConfig; vault: VaultClient; stsRegion: string }> {
  const problems: string[] = [];
  if (s.vaultAuthMethod === "kubernetes" && !s.vaultRole) problems.push("--vault-role (or $VAULT_ROLE) is required with kubernetes auth");
  if (s.vaultAuthMethod === "token" && !s.vaultTokenFile && !io.vaultTokenEnv) problems.push("token auth needs $VAULT_TOKEN or --vault-token-file");
  if (problems.length) throw new ConfigError({ message: problems.join("; "), hint: "see --help", problems });
  checkSessionArns(s); // before reading any file: bad ARNs are a configuration error (exit 2)

  const readJwt = async () => (await readRequired(io, s.saTokenFile, "service-account token")).trim();
  const vaultAuth: VaultAuthConfig =
    s.vaultAuthMethod === "kubernetes"
      ? { method: "kubernetes", mountPath: s.vaultAuthMount, role: s.vaultRole!, readJwt }
      : { method: "token", readToken: async () => (s.vaultTokenFile ? (await readRequired(io, s.vaultTokenFile, "Vault token")).trim() : io.vaultTokenEnv!) };

  let commonName = s.commonName;
  let uriSan = s.uriSan;
  if (!commonName || !uriSan) {
    const facts = s.vaultAuthMethod === "kubernetes" ? serviceAccountFacts(await readJwt()) : {};
    if (!facts.namespace || !facts.name) {
      throw new ConfigError({
        message: "cannot derive the certificate's CN and URI SAN: no service-account namespace/name (token auth, or an unreadable token)",
        hint: "set --common-name and --uri-san explicitly",
      });
    }
    commonName ??= `${facts.name}.${facts.namespace}`;
    uriSan ??= `spiffe://${s.trustDomain}/ns/${facts.namespace}/sa/${facts.name}`;
  }

  const { stsRegion, ...sessionConfig } = await sessionFromSettings(s, io);
  const config: PipelineConfig = {
    ...sessionConfig,
    vaultAuth,
    certificate: {
      mount: s.pkiMount,
      role: s.pkiRole ?? s.vaultRole ?? "",
      mode: s.pkiMode,
      keyKind: s.keyType,
      commonName,
      uriSans: [uriSan],
      ttlSec: s.certTtlMs ? Math.round(s.certTtlMs / 1000) : undefined,
    },
  };
  if (!config.certificate.role) throw new ConfigError({ message: "--pki-role is required with token auth", hint: "name the PKI role to sign with" });
  const vault = createVaultClient({
    addr: s.vaultAddr,
    namespace: s.vaultNamespace,
    caCertPem: await readVaultCa(s, io),
    tlsSkipVerify: s.vaultSkipVerify,
    timeoutMs: s.vaultTimeoutMs,
    maxAttempts: s.vaultMaxAttempts,
    throttleBudgetMs: s.throttleBudgetMs,
    clock: deps.clock,
    log: deps.log,
    signal: deps.signal,
  });
  return { config, vault, stsRegion };
}

async function readVaultCa(s: PipelineSettings, io: SettingsIo): Promise<string | undefined> {
  if (s.vaultCacert) return readRequired(io, s.vaultCacert, "VAULT_CACERT");
  if (!s.vaultCapath) return undefined;
  const names = (await io.readDir(s.vaultCapath)).filter((n) => /\.(pem|crt)$/.test(n)).sort();
  const pems = await Promise.all(names.map((n) => readRequired(io, join(s.vaultCapath!, n), "VAULT_CAPATH file")));
  return pems.join("\n");
}
