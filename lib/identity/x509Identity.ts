import type { X509Certificate } from "node:crypto";
import type { SigningKey } from "../x509/signingKey.js";

/**
 * The X.509 identity that signs CreateSession: private key, leaf certificate and the certificates sent with it. Every
 * source (Vault's PKI, PEM or PKCS#12 files) checks before handing one out that key and certificate match, the
 * certificate is valid and the chain links.
 */
export interface X509Identity {
  key: SigningKey;
  certificate: X509Certificate;
  chain: readonly X509Certificate[];
}
