import { RUNTIME, type ErrorCodeEntry } from "./errorCodeEntry.js";

/** Error codes of the group "lifecycle" (see ERROR_CODE_GROUPS). */
export const LIFECYCLE_ERRORS = {
  ABORTED: {
    group: "lifecycle",
    exitCodes: RUNTIME,
    meaning:
      "SIGTERM/SIGINT arrived during a call or a retry wait; the call was cut short and nothing was written" +
      " after it",
    hint: "none needed on shutdown",
  },
  REFRESH_FAILED: {
    group: "lifecycle",
    exitCodes: RUNTIME,
    meaning: "a refresh step failed for a reason that is not one of the project's errors",
    hint: "see the cause",
  },
  UNEXPECTED_ERROR: {
    group: "lifecycle",
    exitCodes: RUNTIME,
    meaning: "a failure that is not one of the project's errors (a bug), as a Kubernetes Event names it",
    hint: "the process's error log line has its stack; please report it",
  },
} as const satisfies Record<string, ErrorCodeEntry>;
