import { RUNTIME, type ErrorCodeEntry } from "./errorCodeEntry.js";

/** Error codes of the group "rolesAnywhere" (see ERROR_CODE_GROUPS). */
export const ROLES_ANYWHERE_ERRORS = {
  RA_ACCESS_DENIED: {
    group: "rolesAnywhere",
    exitCodes: RUNTIME,
    meaning:
      "Roles Anywhere refused: certificate not chained to an enabled trust anchor, expired, or the role's " +
      "trust policy does not admit this certificate's `x509SAN/URI`",
    hint: "check the trust anchor, the profile and the role's trust policy conditions",
  },
  RA_VALIDATION: {
    group: "rolesAnywhere",
    exitCodes: RUNTIME,
    meaning: "session duration or name out of range",
    hint: "keep the duration within 900-43200 s and the profile's limit",
  },
  RA_NOT_FOUND: {
    group: "rolesAnywhere",
    exitCodes: RUNTIME,
    meaning: "wrong trust anchor, profile or role ARN, account or region",
    hint: "check the ARNs and the region they name",
  },
  RA_THROTTLED: {
    group: "rolesAnywhere",
    exitCodes: RUNTIME,
    meaning: "too many calls at once (fleet start); retried with full jitter until `--throttle-budget` (5m) is spent",
    hint: "raise --throttle-budget, start fewer pods at once, or ask AWS for a higher quota",
  },
  RA_SERVER_ERROR: {
    group: "rolesAnywhere",
    exitCodes: RUNTIME,
    meaning: "Roles Anywhere had a server-side problem; retried with capped exponential backoff and full jitter",
    hint: "fatal only after --max-attempts; try again later",
  },
  RA_TIMEOUT: {
    group: "rolesAnywhere",
    exitCodes: RUNTIME,
    meaning: "Roles Anywhere did not answer in time; retried with capped exponential backoff and full jitter",
    hint: "fatal only after --max-attempts; check the network path",
  },
  RA_REQUEST_FAILED: {
    group: "rolesAnywhere",
    exitCodes: RUNTIME,
    meaning: "Roles Anywhere refused the request for another reason",
    hint: "see the AWS message",
  },
  RA_BAD_RESPONSE: {
    group: "rolesAnywhere",
    exitCodes: RUNTIME,
    meaning: "CreateSession answered with a body that holds no usable credentials",
    hint: "check that the endpoint really is IAM Roles Anywhere",
  },
  RA_UNREACHABLE: {
    group: "rolesAnywhere",
    exitCodes: RUNTIME,
    meaning: "the Roles Anywhere endpoint cannot be reached",
    hint: "check the network path, DNS and proxy settings",
  },
  RA_TLS_FAILED: {
    group: "rolesAnywhere",
    exitCodes: RUNTIME,
    meaning: "TLS with the Roles Anywhere endpoint failed",
    hint: "check the endpoint and any TLS-intercepting proxy's CA",
  },
  STS_VERIFY_FAILED: {
    group: "rolesAnywhere",
    exitCodes: RUNTIME,
    meaning: "STS refused the new credentials, or did not answer within `--timeout` on every attempt",
    hint: "check the role and the STS endpoint",
  },
  STS_ASSUME_ROLE_FAILED: {
    group: "rolesAnywhere",
    exitCodes: RUNTIME,
    meaning: "STS refused the role chaining, or did not answer within `--timeout` on every attempt",
    hint: "let the target role's trust policy admit the Roles Anywhere role (and the external id)",
  },
} as const satisfies Record<string, ErrorCodeEntry>;
