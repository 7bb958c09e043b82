/** Everything a user or script needs to talk to a running devstack; written as JSON by --state-file. */
export interface DevstackInfo {
  /** Marks the stand-ins as test doubles, never to be mistaken for the real services. */
  note: string;
  region: string;
  vault: {
    addr: string;
    /** "stand-in", "OpenBao v… dev server (…)" or "existing server". */
    server: string;
    /** Absent for an existing server (its token came from VAULT_TOKEN). */
    rootToken?: string;
    /** Process id of the OpenBao server the devstack started (stopped with the devstack). */
    pid?: number;
    pkiMount: string;
    pkiRole: string;
    kubernetesAuthMount: string;
    kubernetesAuthAccessor: string;
    vaultRole: string;
    trustDomain: string;
  };
  /** Every binding of the development Vault config: which service account may assume which role. */
  bindings: Array<{
    name: string;
    namespace: string;
    serviceAccount: string;
    vaultRole: string;
    pkiRole: string;
    spiffeId: string;
    roleArn: string;
  }>;
  kubernetes: { tokenReviewUrl: string; namespace: string; serviceAccount: string; audience?: string };
  rolesAnywhere: { endpoint: string; trustAnchorArn: string; profileArn: string; roleArn: string };
  /** STS, with a role to chain to (AssumeRole needs the external ID). */
  sts: { endpoint: string; chainRoleArn: string; chainExternalId: string };
  admin: { url: string };
  /** The throwaway CA, client certificate and key for trying credential-process. */
  throwaway: {
    dir: string;
    caCertificate: string;
    certificate: string;
    privateKey: string;
    trustAnchorArn: string;
    profileArn: string;
    roleArn: string;
  };
}
