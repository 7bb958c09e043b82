import { readdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";

/** What removeStaleTempFiles did: names removed, and names that could not be removed with the reason. */
export interface StaleTempCleanup {
  removed: string[];
  failed: Array<{ name: string; errno?: string }>;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Removes the temp files that writeFileSet leaves behind when the process is killed between writing and renaming
 * (`.<name>.<pid>.<8 hex>.tmp`, for the given file names only; nothing else in `dir` is touched). Call it only while no
 * write to `dir` is in flight. A missing directory is not an error. The calls are synchronous (metadata only).
 */
export async function removeStaleTempFiles(dir: string, names: readonly string[]): Promise<StaleTempCleanup> {
  const pattern = new RegExp(`^\\.(?:${names.map(escape).join("|")})\\.\\d+\\.[0-9a-f]{8}\\.tmp$`);
  const result: StaleTempCleanup = { removed: [], failed: [] };
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (cause) {
    const errno = (cause as { code?: string }).code;
    if (errno !== "ENOENT") result.failed.push({ name: ".", errno });
    return result;
  }
  for (const name of entries.filter((n) => pattern.test(n))) {
    try {
      unlinkSync(join(dir, name));
      result.removed.push(name);
    } catch (cause) {
      const errno = (cause as { code?: string }).code;
      if (errno !== "ENOENT") result.failed.push({ name, errno }); // ENOENT: already gone
    }
  }
  return result;
}
