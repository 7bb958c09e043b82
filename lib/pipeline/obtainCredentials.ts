import type { Logger } from "pino";
import type { Clock } from "../time/clock.js";
import type { VaultClient, VaultAuth } from "../vault/VaultClient.js";
import { createSession, type CreateSessionRequest } from "../rolesanywhere/createSession.js";
import type { HttpTransportOptions } from "../rolesanywhere/sendHttpRequest.js";
import { assumeRole, type AssumeRoleConfig } from "../sts/assumeRole.js";
import type { StsTarget } from "../sts/stsCall.js";
import { issueCertificate, type CertificateRequestConfig } from "./issueCertificate.js";
import { loginToVault } from "./loginToVault.js";
import type { VaultAuthConfig } from "./vaultAuthConfig.js";
import type { X509Identity } from "../identity/x509Identity.js";
import type { AwsCredentials } from "../credentials/awsCredentials.js";

/** Everything one pass of the credential path needs. */
export interface PipelineConfig {
  vaultAuth: VaultAuthConfig;
  certificate: CertificateRequestConfig;
  session: CreateSessionRequest;
  transport: HttpTransportOptions;
  maxAttempts: number;
  /** Time budget for throttled calls (Roles Anywhere and Vault), ms. */
  throttleBudgetMs?: number;
  assumeRole?: AssumeRoleConfig & { sts: StsTarget };
}

/** Dependencies of the pipeline (injected so tests use the devstack and fake clocks). */
export interface PipelineDeps {
  vault: VaultClient;
  clock: Clock;
  log: Logger;
  signal?: AbortSignal;
  userAgent?: string;
}

/** The result of one pass: credentials plus the identity and Vault token state used to get them. */
export interface PipelineResult {
  credentials: AwsCredentials;
  identity: X509Identity;
  vaultAuth?: VaultAuth;
}

/**
 * One pass of the credential path: Vault login (unless `reuse` supplies a still-valid token / certificate) → key + CSR →
 * Vault PKI → Roles Anywhere CreateSession → optional STS AssumeRole.
 */
export async function obtainCredentials(
  cfg: PipelineConfig,
  deps: PipelineDeps,
  reuse: { identity?: X509Identity; vaultAuth?: VaultAuth } = {},
): Promise<PipelineResult> {
  const log = deps.log.child({ component: "pipeline" });
  let vaultAuth = reuse.vaultAuth;
  let identity = reuse.identity;
  if (!identity) {
    if (!vaultAuth) {
      vaultAuth = await loginToVault(deps.vault, cfg.vaultAuth, deps.clock.now()); // lib/vault logs the login
    }
    identity = await issueCertificate(deps.vault, cfg.certificate, { nowMs: () => deps.clock.now(), log });
  }
  let credentials = await createSession(identity, cfg.session, {
    clock: deps.clock,
    log: deps.log,
    transport: cfg.transport,
    maxAttempts: cfg.maxAttempts,
    throttleBudgetMs: cfg.throttleBudgetMs,
    signal: deps.signal,
    userAgent: deps.userAgent,
  });
  log.info({ accessKeyId: credentials.accessKeyId, expiration: credentials.expiration, roleArn: credentials.roleArn }, "session created");
  if (cfg.assumeRole) {
    credentials = await assumeRole(credentials, cfg.assumeRole, { ...cfg.assumeRole.sts, log: deps.log }, deps.signal);
    log.info({ roleArn: cfg.assumeRole.roleArn, expiration: credentials.expiration }, "role assumed");
  }
  return { credentials, identity, vaultAuth };
}
