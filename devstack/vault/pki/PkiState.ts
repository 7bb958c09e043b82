import { randomUUID } from "node:crypto";
import type { PkiKey } from "./pkiCrypto.js";
import { certPem, x509 } from "./pkiCrypto.js";
import type { PkiRole } from "./pkiRole.js";

/** An issuer (CA certificate) in one PKI mount. */
export interface PkiIssuer {
  id: string;
  name: string;
  cert: x509.X509Certificate;
  pem: string;
  keyId: string | undefined;
  /** What to do when a leaf would outlive the issuer: Vault's default is "err". */
  leafNotAfterBehavior: "err" | "truncate" | "permit";
}

/** The AIA URLs of `config/urls`. */
export interface PkiUrls {
  issuing_certificates: string[];
  crl_distribution_points: string[];
  ocsp_servers: string[];
  enable_templating: boolean;
  set: boolean;
}

/** All state of one PKI mount: keys, issuers (with the default), roles, URLs. */
export class PkiState {
  readonly keys = new Map<string, PkiKey>();
  readonly issuers = new Map<string, PkiIssuer>();
  readonly roles = new Map<string, PkiRole>();
  defaultIssuerId: string | undefined;
  urls: PkiUrls = {
    issuing_certificates: [],
    crl_distribution_points: [],
    ocsp_servers: [],
    enable_templating: false,
    set: false,
  };

  /** Adds an issuer for a certificate unless one with the same DER exists; the first becomes the default. */
  addIssuer(cert: x509.X509Certificate, keyId: string | undefined): { issuer: PkiIssuer; existed: boolean } {
    const pem = certPem(cert);
    const existing = [...this.issuers.values()].find((i) => i.pem === pem);
    if (existing) return { issuer: existing, existed: true };
    const issuer: PkiIssuer = { id: randomUUID(), name: "", cert, pem, keyId, leafNotAfterBehavior: "err" };
    this.issuers.set(issuer.id, issuer);
    if (!this.defaultIssuerId) this.defaultIssuerId = issuer.id;
    return { issuer, existed: false };
  }

  /** The default issuer, if one is set. */
  defaultIssuer(): PkiIssuer | undefined {
    return this.defaultIssuerId ? this.issuers.get(this.defaultIssuerId) : undefined;
  }

  /** Resolves an issuer reference ("default", an id or a name). */
  issuerByRef(ref: string): PkiIssuer | undefined {
    if (ref === "" || ref === "default") return this.defaultIssuer();
    return this.issuers.get(ref) ?? [...this.issuers.values()].find((i) => i.name === ref);
  }

  /** The issuer's full chain inside this mount: itself first, then its parents (GetFullChain). */
  chainOf(issuer: PkiIssuer): PkiIssuer[] {
    const chain = [issuer];
    let current = issuer;
    while (current.cert.subject !== current.cert.issuer) {
      const parent = [...this.issuers.values()].find(
        (i) => i.cert.subject === current.cert.issuer && !chain.includes(i),
      );
      if (!parent) break;
      chain.push(parent);
      current = parent;
    }
    return chain;
  }

  /** The key whose public part matches a certificate's, if this mount holds it. */
  keyForSpki(spki: ArrayBuffer): PkiKey | undefined {
    const want = Buffer.from(spki);
    return [...this.keys.values()].find((k) => k.spki.equals(want));
  }
}
