/** How the pipeline authenticates to Vault: kubernetes auth with the service-account token, or an existing token. */
export type VaultAuthConfig =
  | {
      method: "kubernetes";
      /** Auth mount path, without "auth/" (default "kubernetes"). */
      mountPath: string;
      role: string;
      /** Reads the service-account JWT; called at every login, since projected tokens rotate. */
      readJwt: () => Promise<string>;
    }
  | {
      method: "token";
      /** Reads the Vault token (VAULT_TOKEN or a token file). */
      readToken: () => Promise<string>;
    };
