import { RUNTIME, type ErrorCodeEntry } from "./errorCodeEntry.js";

/** Error codes of the group "vault" (see ERROR_CODE_GROUPS). */
export const VAULT_ERRORS = {
  VAULT_UNREACHABLE: {
    group: "vault",
    exitCodes: RUNTIME,
    meaning: "network or TLS (`VAULT_CACERT`) problem reaching Vault; retried with backoff first",
    hint: "check VAULT_ADDR, the network path and VAULT_CACERT",
  },
  VAULT_TIMEOUT: {
    group: "vault",
    exitCodes: RUNTIME,
    meaning: "Vault did not answer within the timeout; retried with backoff first",
    hint: "check Vault's load and the network path, or raise the timeout",
  },
  VAULT_SEALED: {
    group: "vault",
    exitCodes: RUNTIME,
    meaning: "Vault is sealed; retried with backoff first",
    hint: "unseal it (vault operator unseal) or wait for auto-unseal",
  },
  VAULT_RATE_LIMITED: {
    group: "vault",
    exitCodes: RUNTIME,
    meaning:
      "too many calls at once (fleet start); retried with full jitter (and `Retry-After`) until " +
      "`--throttle-budget` (5m) is spent",
    hint: "retry later, start fewer pods at once or raise Vault's quota",
  },
  VAULT_SERVER_ERROR: {
    group: "vault",
    exitCodes: RUNTIME,
    meaning: "Vault answered 5xx (or 501: not initialised); 5xx is retried with backoff first",
    hint: "see Vault's message and its server log",
  },
  VAULT_REQUEST_FAILED: {
    group: "vault",
    exitCodes: RUNTIME,
    meaning: "a Vault request failed in a way that is neither an HTTP answer nor a known network error",
    hint: "see the message and the cause",
  },
  VAULT_RESPONSE_INVALID: {
    group: "vault",
    exitCodes: RUNTIME,
    meaning: "Vault's answer is not what the Vault API documents",
    hint: "check that VAULT_ADDR points at Vault itself (not a proxy or login page)",
  },
  VAULT_BAD_REQUEST: {
    group: "vault",
    exitCodes: RUNTIME,
    meaning: "Vault refused a request as malformed",
    hint: "see Vault's message",
  },
  VAULT_DENIED: {
    group: "vault",
    exitCodes: RUNTIME,
    meaning: "the token's policy does not allow a request",
    hint: "grant the capability the hint names on that path",
  },
  VAULT_NOT_FOUND: {
    group: "vault",
    exitCodes: RUNTIME,
    meaning: "nothing answers at a Vault path",
    hint: "check that the mount exists (vault secrets list / vault auth list)",
  },
  VAULT_NOT_AUTHENTICATED: {
    group: "vault",
    exitCodes: RUNTIME,
    meaning: "a Vault call needs a token and none is set",
    hint: "log in first or give a token",
  },
  VAULT_LOGIN_DENIED: {
    group: "vault",
    exitCodes: RUNTIME,
    meaning: "the service account is not bound to the Vault role, or the token expired or has the wrong audience",
    hint: "add the service account to the role's bound_service_account_names/namespaces, or fix the audience",
  },
  VAULT_LOGIN_INVALID: {
    group: "vault",
    exitCodes: RUNTIME,
    meaning: "the Kubernetes login request is incomplete or Vault refused it as malformed (role, JWT, mount)",
    hint: "check the Vault role name, the auth mount and the service-account token",
  },
  VAULT_TOKEN_INVALID: {
    group: "vault",
    exitCodes: RUNTIME,
    meaning: "the Vault token expired, was revoked or is not valid in this namespace",
    hint: "log in again (the refresher does so once by itself)",
  },
  VAULT_TOKEN_NOT_RENEWABLE: {
    group: "vault",
    exitCodes: RUNTIME,
    meaning: "the Vault token cannot be renewed",
    hint: "log in again before it expires",
  },
  VAULT_PKI_DENIED: {
    group: "vault",
    exitCodes: RUNTIME,
    meaning:
      "the policy lacks `update` on `<pki>/sign/<role>`, or the Vault token is no longer valid (OpenBao " +
      "answers both with 403 `permission denied`; the refresher logs in again once before reporting it)",
    hint: "grant update on the PKI sign (or issue) path in the role's policy",
  },
  VAULT_PKI_REFUSED: {
    group: "vault",
    exitCodes: RUNTIME,
    meaning: "the PKI role refuses the requested CN/SAN (a pod may only name itself), or issued a key of another type",
    hint: "align the requested names and key type with the PKI role",
  },
  VAULT_PKI_ROLE_MISSING: {
    group: "vault",
    exitCodes: RUNTIME,
    meaning: "no PKI role of that name, or no PKI secrets engine at the mount",
    hint: "create the role (or fix the name or the mount path)",
  },
} as const satisfies Record<string, ErrorCodeEntry>;
