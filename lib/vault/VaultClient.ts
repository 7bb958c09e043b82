import type { Clock } from "../time/clock.js";
import type { Logger } from "../log.js";
import type { VaultHttpSettings } from "./vaultHttp.js";

/**
 * How to reach Vault: the HTTP layer's settings (address, namespace, TLS trust, per-request timeout, proxies; its time
 * source is the clock below) plus the retry policy.
 */
export interface VaultClientOptions extends Omit<VaultHttpSettings, "now"> {
  /** Attempts in total per call, the first one included (1 = no retries). */
  maxAttempts: number;
  /** First backoff ceiling, ms (default 250). */
  backoffBaseMs?: number;
  /** Largest backoff delay, ms (default 10000). */
  backoffCapMs?: number;
  /** Time budget for 429 answers (rate-limit quotas), ms: retried until it is spent, not counted as attempts. */
  throttleBudgetMs?: number;
  /** Time source for backoff sleeps and obtainedAtMs. */
  clock: Clock;
  log: Logger;
  /** Jitter source in [0, 1) (default Math.random). */
  random?: () => number;
  /**
   * A stop (SIGTERM/SIGINT): when it aborts, in-flight requests and retry waits end at once with ABORTED, open
   * connections are closed, and no further request is sent.
   */
  signal?: AbortSignal;
}

/** A Vault token as obtained from a login or a renewal. `clientToken` is secret. */
export interface VaultAuth {
  clientToken: string;
  accessor: string;
  policies: string[];
  /** Token TTL in seconds at the time it was obtained (0 = no expiry, e.g. root). */
  leaseDurationSec: number;
  renewable: boolean;
  metadata: Record<string, string>;
  /** clock.now() when Vault's answer arrived, epoch ms. */
  obtainedAtMs: number;
}

/** The non-secret facts of auth/token/lookup-self. */
export interface TokenInfo {
  /** Seconds left (0 = never expires). */
  ttlSec: number;
  renewable: boolean;
  policies: string[];
  /** RFC 3339, absent for tokens that never expire. */
  expireTime?: string;
  accessor: string;
}

/** A certificate from <mount>/sign/<role> or <mount>/issue/<role>; PEMs as Vault returned them. */
export interface IssuedCertificate {
  certificatePem: string;
  issuingCaPem: string;
  /** The issuer's chain, issuing CA first (Vault's ca_chain); [] when Vault sent none. */
  caChainPems: string[];
  /** Colon-separated lowercase hex, as Vault formats it. */
  serialNumber: string;
  /** NotAfter, epoch seconds. */
  expirationSec: number;
  /** Only from pkiIssue (Vault generated the key). Secret. */
  privateKeyPem?: string;
  /** Vault's warnings, e.g. a TTL capped at the role's max_ttl. */
  warnings: string[];
}

/** Arguments of loginKubernetes(). `jwt` is the service account token (secret). */
export interface KubernetesLoginRequest {
  /** Auth mount path without "auth/" (default "kubernetes"); "auth/<x>" is accepted too. */
  mountPath?: string;
  role: string;
  jwt: string;
}

/** Arguments of pkiSign(). The private key stays with the caller; only the CSR is sent. */
export interface PkiSignRequest {
  mount?: string;
  role: string;
  csrPem: string;
  commonName: string;
  uriSans?: string[];
  ttlSec?: number;
  /** The names the CSR itself asks for; never sent (Vault reads them from the CSR), only named in error hints. */
  namesInCsr?: { commonName: string; uriSans: string[] };
}

/**
 * Arguments of pkiIssue(). key type and size are properties of the Vault role; `keyType` is checked against the answer.
 */
export interface PkiIssueRequest {
  mount?: string;
  role: string;
  commonName: string;
  uriSans?: string[];
  ttlSec?: number;
  keyType?: "rsa" | "ec" | "ed25519";
  keyBits?: number;
}

/** The answer of sys/health (any state: sealed, standby and uninitialised answers are returned, not thrown). */
export interface VaultHealth {
  initialized: boolean;
  sealed: boolean;
  standby: boolean;
  version?: string;
}

/** The project's only path to Vault. Every method has a timeout, retries transient failures and throws IamraError. */
export interface VaultClient {
  /** POST auth/<mountPath>/login; the returned token becomes the client's token. */
  loginKubernetes(req: KubernetesLoginRequest): Promise<VaultAuth>;
  /** Uses an existing token (VAULT_TOKEN or a token file, read by the command). */
  useToken(token: string): void;
  /** True when a token is set. */
  hasToken(): boolean;
  /** GET auth/token/lookup-self. */
  lookupSelf(): Promise<TokenInfo>;
  /** POST auth/token/renew-self, optionally asking for `incrementSec` more seconds. */
  renewSelf(incrementSec?: number): Promise<VaultAuth>;
  /** POST auth/token/revoke-self; the client forgets the token. */
  revokeSelf(): Promise<void>;
  /** POST <mount>/sign/<role> with a CSR. */
  pkiSign(req: PkiSignRequest): Promise<IssuedCertificate>;
  /** POST <mount>/issue/<role>: Vault generates the key (parity with the old sample). */
  pkiIssue(req: PkiIssueRequest): Promise<IssuedCertificate>;
  /** GET <path>; Vault's raw JSON, or null on 404. */
  read(path: string): Promise<Record<string, unknown> | null>;
  /** POST <path>; Vault's raw JSON, or null for 204. */
  write(path: string, data: Record<string, unknown>): Promise<Record<string, unknown> | null>;
  /** DELETE <path>; Vault's raw JSON, or null for 204 and 404. */
  delete(path: string): Promise<Record<string, unknown> | null>;
  /** GET <path>?list=true; Vault's raw JSON, or null on 404 (nothing to list). */
  list(path: string): Promise<Record<string, unknown> | null>;
  /** GET sys/health (unauthenticated). */
  health(): Promise<VaultHealth>;
  /** Closes idle keep-alive connections; the client stays usable. */
  close(): void;
}
