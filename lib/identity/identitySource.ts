import type { X509Identity } from "./x509Identity.js";

/**
 * Where the X.509 identity that signs CreateSession comes from (the project's signer): Vault's PKI once (init), Vault's
 * PKI with a kept, renewed token (refresher), or PEM/PKCS#12 files (Vault Agent mode, credential-process).
 */
export interface IdentitySource {
  /** A usable identity now (key + valid certificate + chain); may log in, renew or issue as needed. */
  get(): Promise<X509Identity>;
  /** Keeps long-lived state alive between refreshes (e.g. renews a Vault token that is due); never throws. */
  maintain?(): Promise<void>;
  /** Releases connections and revokes what should be revoked (best effort). */
  close(): Promise<void>;
}
