import { CONFIG, type ErrorCodeEntry } from "./errorCodeEntry.js";

/** Error codes of the group "config" (see ERROR_CODE_GROUPS). */
export const CONFIG_ERRORS = {
  CONFIG_INVALID: {
    group: "config",
    exitCodes: CONFIG,
    meaning: "a setting is missing or malformed; all problems are listed at once, before any network call",
    hint: "fix the settings named in the message (see --help)",
  },
  SETTING_FILE_UNREADABLE: {
    group: "config",
    exitCodes: CONFIG,
    meaning:
      "a file or directory named by a setting (CA, token, certificate, key, password, config) cannot be read " +
      "at start-up",
    hint: "check the path and that this user may read it",
  },
  ARN_INVALID: {
    group: "config",
    exitCodes: CONFIG,
    meaning: "a trust anchor, profile or role ARN is not a well-formed ARN of the expected type",
    hint: "copy the ARN from the AWS console or CLI",
  },
  CA_CERT_INVALID: {
    group: "config",
    exitCodes: CONFIG,
    meaning: "`VAULT_CACERT`, `VAULT_CAPATH` or `--ca-bundle` is missing or holds no readable PEM certificate",
    hint: "point it at a PEM file (or a directory of PEM files) with the CA certificate",
  },
  VAULT_ADDR_INVALID: {
    group: "config",
    exitCodes: CONFIG,
    meaning: "`VAULT_ADDR` is not an http(s) URL, or carries credentials, a query or a fragment",
    hint: "set it to scheme://host:port[/prefix], e.g. https://vault.example:8200",
  },
  VAULT_TOKEN_EMPTY: {
    group: "config",
    exitCodes: CONFIG,
    meaning: "the Vault token (from `VAULT_TOKEN` or the token file) is empty",
    hint: "check VAULT_TOKEN or the token file",
  },
  VAULT_PATH_INVALID: {
    group: "config",
    exitCodes: CONFIG,
    meaning: "a Vault mount, role or path name contains characters Vault paths do not allow",
    hint: "use the mount and role names as `vault secrets list` / `vault auth list` show them",
  },
  PROXY_URL_INVALID: {
    group: "config",
    exitCodes: CONFIG,
    meaning: "a proxy variable (`HTTPS_PROXY`, `HTTP_PROXY`) is not an `http://host:port` URL",
    hint: "give the proxy as http://host:port",
  },
  FIPS_ENDPOINT_UNAVAILABLE: {
    group: "config",
    exitCodes: CONFIG,
    meaning: "FIPS was asked for in a region whose Roles Anywhere has no FIPS endpoint",
    hint: "drop the FIPS setting or use a region with a FIPS endpoint",
  },
  ENDPOINT_NOT_LOOPBACK: {
    group: "config",
    exitCodes: CONFIG,
    meaning: "a credentials endpoint was asked to listen on a host other than loopback",
    hint: "use 127.0.0.1 (old botocore accepts exactly 127.0.0.1 in AWS_CONTAINER_CREDENTIALS_FULL_URI)",
  },
  ENDPOINT_PATH_INVALID: {
    group: "config",
    exitCodes: CONFIG,
    meaning: "the container endpoint path does not start with `/` or has a query or fragment",
    hint: "use e.g. /credentials",
  },
  ENDPOINT_TOKEN_INVALID: {
    group: "config",
    exitCodes: CONFIG,
    meaning: "the container endpoint's token is shorter than 16 printable ASCII characters or has spaces or newlines",
    hint: "let the refresher generate the token",
  },
  IMDS_ROLE_NAME_INVALID: {
    group: "config",
    exitCodes: CONFIG,
    meaning: "the role name served by the IMDS emulation is not an IAM role name",
    hint: "use the last segment of the role ARN",
  },
} as const satisfies Record<string, ErrorCodeEntry>;
