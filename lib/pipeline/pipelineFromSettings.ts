import type { Logger } from "../log.js";
import { IamraError } from "../errors.js";
import type { Clock } from "../time/clock.js";
import { vaultClientFromSettings } from "../vault/vaultClientFromSettings.js";
import type { VaultClient } from "../vault/VaultClient.js";
import { serviceAccountFacts } from "../vault/serviceAccountFacts.js";
import { commonNameOf, spiffeIdOf } from "../identity/serviceAccountNames.js";
import type { ValuesOf } from "../config/setting.js";
import type { vaultSettings } from "../config/settings/vaultSettings.js";
import type { certificateRequestSettings } from "../config/settings/certificateRequestSettings.js";
import type { SessionConfig } from "./obtainCredentials.js";
import type { CertificateRequestConfig } from "./issueCertificate.js";
import type { VaultAuthConfig } from "./vaultAuthConfig.js";
import {
  readRequired,
  SA_TOKEN_FILE,
  sessionFromSettings,
  VAULT_TOKEN_FILE,
  type SessionSettings,
} from "./sessionFromSettings.js";

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
 * Turns resolved settings into the session config, the Vault login and certificate request, and a Vault client,
 * reading the service-account token once to derive the default CN and SPIFFE URI SAN. The settings passed
 * sessionProblems and vaultPipelineProblems at start-up. `deps.signal` (the command's
 * stop) ends the Vault client's calls at once.
 */
export async function pipelineFromSettings(
  s: PipelineSettings,
  io: SettingsIo,
  deps: { clock: Clock; log: Logger; signal?: AbortSignal },
): Promise<VaultPipeline> {
  // CA files are configuration too: a non-PEM one is refused here, not at the first TLS handshake
  const vault = await vaultClientFromSettings(s, io, deps);
  const { stsRegion, ...session } = await sessionFromSettings(s, io);

  const readJwt = async () => (await readRequired(io, s.saTokenFile, SA_TOKEN_FILE)).trim();
  const vaultAuth: VaultAuthConfig =
    s.vaultAuthMethod === "kubernetes"
      ? { method: "kubernetes", mountPath: s.vaultAuthMount, role: s.vaultRole!, readJwt }
      : {
          method: "token",
          readToken: async () =>
            s.vaultTokenFile ? (await readRequired(io, s.vaultTokenFile, VAULT_TOKEN_FILE)).trim() : io.vaultTokenEnv!,
        };

  // with token auth, vaultPipelineProblems made sure both names are given: only kubernetes auth reads the token here
  const names =
    s.commonName && s.uriSan
      ? { commonName: s.commonName, uriSan: s.uriSan }
      : await namesFromToken(s, await readJwt());
  const certificate: CertificateRequestConfig = {
    mount: s.pkiMount,
    role: s.pkiRole ?? s.vaultRole ?? "",
    mode: s.pkiMode,
    keyKind: s.keyType,
    commonName: names.commonName,
    uriSans: [names.uriSan],
    ttlSec: s.certTtlMs ? Math.round(s.certTtlMs / 1000) : undefined,
  };
  return { session, vaultAuth, certificate, vault, stsRegion };
}

/** The CN and URI SAN not given in the settings, derived from the service-account token's namespace and name. */
async function namesFromToken(s: PipelineSettings, jwt: string): Promise<{ commonName: string; uriSan: string }> {
  const facts = serviceAccountFacts(jwt);
  if (!facts.namespace || !facts.name) throw unusableToken(s.saTokenFile, jwt);
  const sa = { namespace: facts.namespace, name: facts.name };
  return { commonName: s.commonName ?? commonNameOf(sa), uriSan: s.uriSan ?? spiffeIdOf(s.trustDomain, sa) };
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
