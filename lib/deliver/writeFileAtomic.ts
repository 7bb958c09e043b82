import { open, rename, stat, unlink, utimes, chmod } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { IamraError } from "../errors.js";

/** Options of writeFileAtomic. */
export interface WriteFileAtomicOptions {
  /** File mode of the new file, e.g. 0o640. */
  mode: number;
  /** Epoch ms used for the new mtime; it is moved past the old file's mtime if needed (Java SDK reload check). */
  nowMs?: number;
}

/**
 * Replaces `path` atomically: writes a temp file in the same directory, fsyncs it, renames it over the target and fsyncs
 * the directory. Readers see the old or the new content, never a mix; on any failure the old file is untouched and the
 * temp file removed. Fails with OUTPUT_NOT_WRITABLE.
 */
export async function writeFileAtomic(path: string, data: string | Buffer, opts: WriteFileAtomicOptions): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const previousMtimeMs = await stat(path).then((s) => s.mtimeMs, () => undefined);
  try {
    const fh = await open(tmp, "wx", opts.mode);
    try {
      await fh.writeFile(data);
      await fh.chmod(opts.mode); // the umask may have narrowed the mode given to open()
      await fh.sync();
    } finally {
      await fh.close();
    }
    const now = opts.nowMs ?? Date.now();
    const mtimeMs = previousMtimeMs !== undefined && previousMtimeMs >= now ? previousMtimeMs + 1000 : now;
    await utimes(tmp, new Date(now), new Date(mtimeMs));
    await rename(tmp, path);
  } catch (cause) {
    await unlink(tmp).catch(() => undefined); // best effort: the temp file may not exist
    const code = (cause as { code?: string }).code;
    throw new IamraError({
      code: "OUTPUT_NOT_WRITABLE",
      message: `cannot write ${path} (${code ?? (cause as Error).message}); the previous file, if any, is unchanged`,
      hint:
        code === "EACCES" || code === "EPERM" || code === "EROFS"
          ? "make the output directory writable by this user (e.g. an emptyDir volume with fsGroup)"
          : code === "ENOENT"
            ? "create the output directory (mount the shared emptyDir) or fix --output-dir"
            : code === "ENOSPC"
              ? "the volume is full"
              : "check the output directory",
      retryable: code === "ENOSPC" || code === "EIO",
      step: "write-output",
      details: { path, errno: code },
      cause,
    });
  }
  await syncDirectory(dir);
}

/** fsync on the directory makes the rename durable; some filesystems refuse it, which is harmless. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const fh = await open(dir, "r");
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // not supported on every filesystem; the rename itself is already atomic
  }
}

/** Changes the mode of an existing file (used when the configured mode changes between runs). */
export async function setFileMode(path: string, mode: number): Promise<void> {
  await chmod(path, mode);
}
