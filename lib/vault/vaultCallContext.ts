/** Which kind of Vault call failed; decides the error codes and hints. */
export type VaultOperation = "login" | "token" | "pki" | "generic" | "health";

/** The non-secret facts about a service account token, read (unverified) from its claims for hints. */
export interface ServiceAccountFacts {
  namespace?: string;
  name?: string;
  audiences?: string[];
  expiresAtMs?: number;
}

/** Everything an error message may name about one Vault call. Nothing in here may be secret, except `secrets`. */
export interface VaultCallContext {
  operation: VaultOperation;
  /** Pipeline step, e.g. "vault-login". */
  step: string;
  /** Words for the message, e.g. "Vault login". */
  action: string;
  method: "GET" | "POST" | "DELETE" | "LIST";
  /** Vault path without /v1/, e.g. "auth/kubernetes/login". */
  path: string;
  addr: string;
  namespace?: string;
  timeoutMs?: number;
  role?: string;
  mount?: string;
  commonName?: string;
  uriSans?: string[];
  serviceAccount?: ServiceAccountFacts;
  /** 1-based attempt number of the call that failed. */
  attempt?: number;
  /** Epoch ms when the error was mapped (to say whether a JWT had expired). */
  nowMs?: number;
  /** Secret values (token, JWT, CSR key material) that must be scrubbed from any text taken from the failure. */
  secrets?: string[];
}
