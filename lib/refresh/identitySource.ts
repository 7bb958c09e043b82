import type { X509Identity } from "../identity/x509Identity.js";

/** Where the refresher gets the X.509 identity it signs CreateSession with: Vault's PKI, or files rendered by Vault Agent. */
export interface IdentitySource {
  /** A usable identity now (key + valid certificate + chain); may log in, renew or issue as needed. */
  get(): Promise<X509Identity>;
  /** Reads the source again strictly (no fallback); throws while it is not usable. Sources without files omit it. */
  reload?(): Promise<X509Identity>;
  /** Keeps long-lived state alive between refreshes (e.g. renews a Vault token that is due); best effort, never throws. */
  maintain?(): Promise<void>;
  /** Forgets the cached identity so that the next get() obtains a new one (e.g. after Vault Agent re-rendered files). */
  invalidate(): void;
  /** Releases connections and revokes what should be revoked (best effort). */
  close(): Promise<void>;
}
