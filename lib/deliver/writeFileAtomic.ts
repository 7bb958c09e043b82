import { chmod } from "node:fs/promises";
import { writeFileSet, type WriteFileSetFs } from "./writeFileSet.js";

/** Options of writeFileAtomic. */
export interface WriteFileAtomicOptions {
  /** File mode of the new file, e.g. 0o640. */
  mode: number;
  /** Epoch ms used for the new mtime; it is moved past the old file's mtime if needed (Java SDK reload check). */
  nowMs?: number;
  fs?: Partial<WriteFileSetFs>;
}

/**
 * Replaces `path` atomically: writes a temp file in the same directory, fsyncs it, renames it over the target and
 * fsyncs the directory. Readers see the old or the new content, never a mix; on any failure the old file is untouched
 * and the temp file removed. A symlink at `path` is refused (OUTPUT_IS_SYMLINK); other failures are
 * OUTPUT_NOT_WRITABLE.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Buffer,
  opts: WriteFileAtomicOptions,
): Promise<void> {
  await writeFileSet([{ path, data }], opts);
}

/** Changes the mode of an existing file (used when the configured mode changes between runs). */
export async function setFileMode(path: string, mode: number): Promise<void> {
  await chmod(path, mode);
}
