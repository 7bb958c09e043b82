import type { Logger } from "../log.js";
import { ConfigError, IamraError } from "../errors.js";
import type { Clock } from "../time/clock.js";
import { vaultClientFromSettings } from "../vault/vaultClientFromSettings.js";
import type { VaultClient } from "../vault/VaultClient.js";
import { serviceAccountFacts } from "../vault/serviceAccountFacts.js";
import { checkSessionArns } from "../rolesanywhere/arn.js";
import { commonNameOf, spiffeIdOf } from "../identity/serviceAccountNames.js";
import type { ValuesOf } from "../config/setting.js";
import type { vaultSettings } from "../config/settings/vaultSettings.js";
import type { certificateRequestSettings } from "../config/settings/certificateRequestSettings.js";
import type { SessionConfig } from "./obtainCredentials.js";
import type { CertificateRequestConfig } from "./issueCertificate.js";
import type { VaultAuthConfig } from "./vaultAuthConfig.js";
import { readRequired, sessionFromSettings, type SessionSettings } from "./sessionFromSettings.js";

export { sessionFromSettings, type SessionSettings } from "./sessionFromSettings.js";

/** The resolved settings the pipeline is built from (vault, certificate request, Roles Anywhere, STS groups). */
export type PipelineSettings = SessionSettings &
  ValuesOf<typeof vaultSettings> &
  ValuesOf<typeof certificateRequestSettings>;

/** File and environment access, injected by the command. */
export interface SettingsIo {
  readFile: (path: string) => Promise<string>;
  readDir: (path: string) => Promise<string[]>;
  /** $VAULT_TOKEN, read by the command. */
  vaultTokenEnv?: string;
}

/** What a Vault identity source and obtainCredentials are built from. */
export interface VaultPipeline {
  session: SessionConfig;
  vaultAuth: VaultAuthConfig;
  certificate: CertificateRequestConfig;
  vault: VaultClient;
  stsRegion: string;
}

/**
 * Turns resolved settings into the session config, the Vault login and certificate request, and a Vault client, checking cross-setting rules (all problems at once)
 * and reading the service-account token once to derive the default CN and SPIFFE URI SAN. `deps.signal` (the command's
 * stop) ends the Vault client's calls at once.
 */
export async function pipelineFromSettings(
  s: PipelineSettings,
  io: SettingsIo,
  deps: { clock: Clock; log: Logger; signal?: AbortSignal },
): Promise<VaultPipeline> {
  const problems: string[] = [];
  if (s.vaultAuthMethod === "kubernetes" && !s.vaultRole) problems.push("--vault-role (or $VAULT_ROLE) is required with kubernetes auth");
  if (s.vaultAuthMethod === "token" && !s.vaultTokenFile && !io.vaultTokenEnv) problems.push("token auth needs $VAULT_TOKEN or --vault-token-file");
  if (problems.length) throw new ConfigError({ message: problems.join("; "), hint: "see --help", problems });
  checkSessionArns(s); // before reading any file: bad ARNs are a configuration error (exit 2)
  // CA files are configuration too: a missing or non-PEM one is refused here, not at the first TLS handshake
  const vault = await vaultClientFromSettings(s, io, deps);
  const { stsRegion, ...session } = await sessionFromSettings(s, io);

  const readJwt = async () => (await readRequired(io, s.saTokenFile, "service-account token")).trim();
  const vaultAuth: VaultAuthConfig =
    s.vaultAuthMethod === "kubernetes"
      ? { method: "kubernetes", mountPath: s.vaultAuthMount, role: s.vaultRole!, readJwt }
      : { method: "token", readToken: async () => (s.vaultTokenFile ? (await readRequired(io, s.vaultTokenFile, "Vault token")).trim() : io.vaultTokenEnv!) };

  let commonName = s.commonName;
  let uriSan = s.uriSan;
  if (!commonName || !uriSan) {
    if (s.vaultAuthMethod !== "kubernetes") {
      throw new ConfigError({
        message: "cannot derive the certificate's CN and URI SAN with token auth: there is no service-account token",
        hint: "set --common-name and --uri-san explicitly",
      });
    }
    const jwt = await readJwt();
    const facts = serviceAccountFacts(jwt);
    if (!facts.namespace || !facts.name) throw unusableToken(s.saTokenFile, jwt);
    const sa = { namespace: facts.namespace, name: facts.name };
    commonName ??= commonNameOf(sa);
    uriSan ??= spiffeIdOf(s.trustDomain, sa);
  }

  const certificate: CertificateRequestConfig = {
    mount: s.pkiMount,
    role: s.pkiRole ?? s.vaultRole ?? "",
    mode: s.pkiMode,
    keyKind: s.keyType,
    commonName,
    uriSans: [uriSan],
    ttlSec: s.certTtlMs ? Math.round(s.certTtlMs / 1000) : undefined,
  };
  if (!certificate.role) throw new ConfigError({ message: "--pki-role is required with token auth", hint: "name the PKI role to sign with" });
  return { session, vaultAuth, certificate, vault, stsRegion };
}

/** The service-account token is empty or not a service-account JWT: a runtime problem of the pod (exit 1). */
function unusableToken(path: string, jwt: string): IamraError {
  const problem = jwt === "" ? "is empty" : "is not a Kubernetes service-account JWT (no namespace and name claims)";
  return new IamraError({
    code: "SA_TOKEN_INVALID",
    message: `the service-account token in ${path} ${problem}`,
    hint:
      "mount the pod's service-account token (automountServiceAccountToken or a projected " +
      "serviceAccountToken volume) and point --sa-token-file at it",
    step: "read-config",
    details: { path, length: jwt.length },
  });
}
