import type { Logger } from "../log.js";
import type { Clock } from "../time/clock.js";
import type { VaultAuth, VaultClient } from "../vault/VaultClient.js";
import { tokenExpiresAtMs, tokenRenewAtMs } from "../vault/tokenRenewal.js";
import { IamraError, isIamraError } from "../errors.js";
import { certificateValidity } from "../x509/certificateValidity.js";
import { loginToVault } from "../pipeline/loginToVault.js";
import { issueCertificate, type CertificateRequestConfig } from "../pipeline/issueCertificate.js";
import type { VaultAuthConfig } from "../pipeline/vaultAuthConfig.js";
import type { Metrics } from "../deliver/metrics.js";
import type { IdentitySource } from "./identitySource.js";
import type { X509Identity } from "./x509Identity.js";

/**
 * Errors after which the kept token may simply be gone. OpenBao answers an unknown (revoked, expired, lost) token
 * with a bare 403 "permission denied", the same answer as a policy that denies, so a PKI denial gets one new login:
 * when the new token is refused as well, the policy is the cause and that error is thrown.
 */
const TOKEN_MAY_BE_GONE = new Set(["VAULT_TOKEN_INVALID", "VAULT_PKI_DENIED"]);

/** Options of the Vault identity source. */
export interface VaultIdentitySourceOptions {
  vault: VaultClient;
  auth: VaultAuthConfig;
  certificate: CertificateRequestConfig;
  clock: Clock;
  log: Logger;
  metrics?: Metrics;
  /** Issue a new certificate on every get() instead of reusing one with more than half its lifetime left. */
  newCertificateEveryTime?: boolean;
}

/**
 * Identity from Vault's PKI with a kept Vault token (the refresher): the token is renewed (renew-self) before it
 * expires and replaced by a new login when renewal is impossible or refused; the certificate is reused until half its
 * lifetime has passed.
 */
export function createVaultIdentitySource(o: VaultIdentitySourceOptions): IdentitySource {
  const log = o.log.child({ component: "vault-identity" });
  let auth: VaultAuth | undefined;
  let identity: X509Identity | undefined;
  const timed = <T>(op: string, fn: () => Promise<T>) => (o.metrics ? o.metrics.timeUpstream("vault", op, fn) : fn());

  async function login(): Promise<void> {
    const a = o.auth;
    // the service-account token is read before anything else: when it cannot be read, the kept Vault token stays
    const creds: VaultAuthConfig =
      a.method === "kubernetes"
        ? {
            ...a,
            readJwt: (
              (jwt) => async () =>
                jwt
            )(await a.readJwt()),
          }
        : a;
    // a kubernetes-auth token that is being replaced is revoked first (best effort), so that old tokens do not linger
    // until their TTL; a token given by the operator (token auth) is never revoked
    if (auth && a.method === "kubernetes" && o.clock.now() < tokenExpiresAtMs(auth)) {
      await timed("revoke-self", () => o.vault.revokeSelf()).catch((err: unknown) =>
        log.debug({ code: isIamraError(err) ? err.code : undefined }, "revoking the old vault token failed"),
      );
    }
    auth = await timed("login", () => loginToVault(o.vault, creds, o.clock.now()));
  }

  async function ensureToken(): Promise<void> {
    const now = o.clock.now();
    if (!auth || (auth.leaseDurationSec > 0 && now >= tokenExpiresAtMs(auth))) return login();
    if (now < tokenRenewAtMs(auth)) return;
    if (!auth.renewable) return login(); // e.g. a role with token_max_ttl reached: a new login is the only way
    try {
      auth = await timed("renew-self", () => o.vault.renewSelf());
    } catch (err) {
      log.warn({ code: isIamraError(err) ? err.code : undefined }, "vault token renewal failed, logging in again");
      await login();
    }
  }

  /**
   * While the certificate is reused, Vault is not otherwise called: renew the token when it is due (best effort, no
   * login), so that it does not lapse (a static/periodic VAULT_TOKEN cannot be replaced by a new login).
   */
  async function keepTokenAlive(): Promise<void> {
    const now = o.clock.now();
    if (!auth?.renewable || now < tokenRenewAtMs(auth) || now >= tokenExpiresAtMs(auth)) return;
    try {
      auth = await timed("renew-self", () => o.vault.renewSelf());
    } catch (err) {
      const code = isIamraError(err) ? err.code : undefined;
      log.warn({ code }, "vault token renewal failed; the certificate is still reused");
    }
  }

  function reusable(now: number): boolean {
    if (!identity || o.newCertificateEveryTime) return false;
    const { notBeforeMs, notAfterMs } = certificateValidity(identity.certificate);
    return now < notBeforeMs + (notAfterMs - notBeforeMs) / 2;
  }

  async function issue(): Promise<X509Identity> {
    const issueDeps = { nowMs: () => o.clock.now(), log: o.log };
    return timed("pki-" + o.certificate.mode, () => issueCertificate(o.vault, o.certificate, issueDeps));
  }

  return {
    async get() {
      if (reusable(o.clock.now())) {
        await keepTokenAlive();
        return identity!;
      }
      try {
        await ensureToken();
        try {
          identity = await issue();
        } catch (err) {
          // a token revoked, expired or lost behind our back (a Vault restarted without storage): log in again once,
          // then retry the request
          if (!isIamraError(err) || !TOKEN_MAY_BE_GONE.has(err.code)) throw err;
          log.info({ code: err.code }, "vault refused the token; logging in again");
          await login();
          identity = await issue();
        }
      } catch (err) {
        throw transientIdentityError(err, () => (auth = undefined));
      }
      const { notAfterMs } = certificateValidity(identity.certificate);
      if (o.metrics) o.metrics.setTimestamp(o.metrics.certificateExpiry, notAfterMs);
      return identity;
    },
    maintain: keepTokenAlive,
    async close() {
      o.vault.close();
    },
  };
}

/** Failures that the next attempt fixes by itself, although the call that saw them cannot retry them. */
const TRANSIENT_IDENTITY_CODES = new Set([
  "VAULT_TOKEN_INVALID", // revoked or expired: the next attempt logs in again
  "SA_TOKEN_UNREADABLE", // kubelet replaces projected tokens; the file can be missing for a moment
  "FILE_UNREADABLE", // a Vault token file being rewritten (Vault Agent)
]);

/**
 * Marks a failure that a new attempt fixes as retryable (fast backoff instead of the slow retry for configuration
 * errors); after a refused token `forgetToken` makes the next attempt log in first.
 */
function transientIdentityError(err: unknown, forgetToken: () => void): unknown {
  if (!isIamraError(err) || !TRANSIENT_IDENTITY_CODES.has(err.code)) return err;
  if (err.code === "VAULT_TOKEN_INVALID") forgetToken();
  if (err.retryable) return err;
  return new IamraError({
    code: err.code,
    message: err.message,
    hint: err.hint,
    retryable: true,
    step: err.step,
    status: err.status,
    details: err.details,
    cause: err.cause,
  });
}
