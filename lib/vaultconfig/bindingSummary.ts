import { spiffeIdOf } from "../identity/serviceAccountNames.js";
import type { VaultConfig } from "./VaultConfig.js";

/** What a binding became in Vault: where pods log in, which PKI role signs for them, and the identities they get. */
export interface BindingSummary {
  name: string;
  /** kubernetes auth role to log in with (auth/<authMount>/login). */
  vaultRole: string;
  authMount: string;
  /** PKI role to sign with (<pkiMount>/sign/<pkiRole>). */
  pkiRole: string;
  pkiMount: string;
  policy: string;
  /** SPIFFE ID of every service account of the binding, in config order. */
  spiffeIds: string[];
  /** The first (often only) SPIFFE ID. */
  spiffeId: string;
  awsRoleArn?: string;
}

/** The summary of every binding of a config (pure). */
export function bindingSummaries(config: VaultConfig): BindingSummary[] {
  return config.bindings.map((b) => {
    const spiffeIds = b.serviceAccounts.map((sa) => spiffeIdOf(config.trustDomain, sa));
    return {
      name: b.name,
      vaultRole: b.vault.role,
      authMount: config.kubernetesAuth.mount,
      pkiRole: b.certificate.role,
      pkiMount: config.pki.mount,
      policy: b.vault.policy,
      spiffeIds,
      spiffeId: spiffeIds[0]!,
      awsRoleArn: b.awsRoleArn,
    };
  });
}
