import { accessSync, constants, mkdirSync, statSync, type Stats } from "node:fs";
import { ConfigError } from "../errors.js";

/** Mode of an output directory this process creates: owner rwx, group r-x (an app in the pod's fsGroup can read). */
export const CREATED_OUTPUT_DIR_MODE = 0o750;

/**
 * Makes sure `dir` is a directory this process can write, before any network call: a missing directory is created
 * (with parents, mode 0750 before the umask), as `mkdir -p` would; a path that is not a directory, or one that cannot
 * be created or written, is a configuration error (OUTPUT_NOT_WRITABLE, exit 2). `setting` names where `dir` came from.
 * The calls are synchronous: metadata only, microseconds each, where a trip through the thread pool costs more.
 */
export async function prepareOutputDir(dir: string, setting = "--output-dir"): Promise<void> {
  const refuse = (problem: string, cause?: unknown) =>
    new ConfigError({
      code: "OUTPUT_NOT_WRITABLE",
      message: `${setting} ${dir} ${problem}`,
      hint: "point --output-dir (IAMRA_OUTPUT_DIR) at a writable directory, e.g. an emptyDir shared with the app",
      details: { dir, errno: (cause as { code?: string } | undefined)?.code },
      cause,
    });
  try {
    mkdirSync(dir, { recursive: true, mode: CREATED_OUTPUT_DIR_MODE });
  } catch (cause) {
    throw refuse(`cannot be created (${reason(cause)})`, cause);
  }
  let info: Stats;
  try {
    info = statSync(dir);
  } catch (cause) {
    throw refuse(`cannot be read (${reason(cause)})`, cause);
  }
  if (!info.isDirectory()) throw refuse("is not a directory");
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (cause) {
    throw refuse(`is not writable by this process (${reason(cause)})`, cause);
  }
}

/** The errno code of a file-system failure, else its message. */
function reason(cause: unknown): string {
  return (cause as { code?: string }).code ?? (cause as Error).message;
}
