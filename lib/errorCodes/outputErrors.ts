import { RUNTIME, type ErrorCodeEntry } from "./errorCodeEntry.js";

/** Error codes of the group "output" (see ERROR_CODE_GROUPS). */
export const OUTPUT_ERRORS = {
  OUTPUT_NOT_WRITABLE: {
    group: "output",
    exitCodes: [1, 2],
    meaning:
      "the output directory is not writable for this user or the volume is full. Checked at start-up (exit " +
      "2) before any network call, and a missing directory is created first (mode 0750, like `mkdir -p`); " +
      "when a write fails later, all files are written before any is replaced, and the error names any file" +
      " already replaced",
    hint: "use an emptyDir with fsGroup",
  },
  OUTPUT_IS_SYMLINK: {
    group: "output",
    exitCodes: RUNTIME,
    meaning: "a file in the output directory is a symbolic link: links there are never followed",
    hint: "remove it",
  },
  OUTPUT_FILE_TOO_LARGE: {
    group: "output",
    exitCodes: RUNTIME,
    meaning: "a file in the output directory is larger than 1 MiB: files there are read only up to that size",
    hint: "remove it",
  },
  OUTPUT_NOT_READABLE: {
    group: "output",
    exitCodes: RUNTIME,
    meaning: "an existing output file whose other content must be kept cannot be read; it is left unchanged",
    hint: "make it a regular file readable by this user, or remove it",
  },
  OUTPUT_FILE_UNPARSEABLE: {
    group: "output",
    exitCodes: RUNTIME,
    meaning: "the credentials INI file cannot be rendered with the given profile and values",
    hint: "check the profile name",
  },
  OUTPUT_DIR_LOCKED: {
    group: "output",
    exitCodes: RUNTIME,
    meaning:
      "another refresher is running on the same output directory (its pid is in `.iamra-refresher.lock`); a" +
      " lock left by a process that is gone is taken over",
    hint: "run one refresher per directory",
  },
  CREDENTIALS_REJECTED: {
    group: "output",
    exitCodes: RUNTIME,
    meaning: "the upstream answered with credentials that cannot be used (expired, empty); the previous ones are kept",
    hint: "check the session duration and the clock",
  },
  LISTEN_FAILED: {
    group: "output",
    exitCodes: RUNTIME,
    meaning: "an endpoint or the webhook cannot listen on its host and port",
    hint: "choose another port or stop the process using it",
  },
} as const satisfies Record<string, ErrorCodeEntry>;
