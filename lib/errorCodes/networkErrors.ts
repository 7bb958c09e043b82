import { RUNTIME, type ErrorCodeEntry } from "./errorCodeEntry.js";

/** Error codes of the group "network" (see ERROR_CODE_GROUPS). */
export const NETWORK_ERRORS = {
  PROXY_REFUSED: {
    group: "network",
    exitCodes: RUNTIME,
    meaning: "the proxy answered `CONNECT` with an error",
    hint: "allow the host on the proxy, or list it in NO_PROXY",
  },
  PROXY_UNREACHABLE: {
    group: "network",
    exitCodes: RUNTIME,
    meaning: "nothing listens at `HTTPS_PROXY`, or it did not answer",
    hint: "check HTTPS_PROXY",
  },
} as const satisfies Record<string, ErrorCodeEntry>;
