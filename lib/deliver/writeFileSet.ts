import {
  closeSync,
  fchmodSync,
  fsync,
  lstatSync,
  openSync,
  renameSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { randomBytes } from "node:crypto";
import type { Stats } from "node:fs";
import { basename, dirname, join } from "node:path";
import { IamraError } from "../errors.js";
import { symlinkRefused } from "./readOutputFile.js";

/** One file of a set: its final path and its whole content. */
export interface FileToWrite {
  path: string;
  data: string | Buffer;
}

/** The file system steps of writeFileSet, replaceable in tests (e.g. a disk that fills up half-way). */
export interface WriteFileSetFs {
  /** Creates `tmp` exclusively with `mode`, writes `data`, fsyncs and closes it. */
  writeTemp(tmp: string, data: string | Buffer, mode: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}

/** Options of writeFileSet. */
export interface WriteFileSetOptions {
  /** File mode of the new files, e.g. 0o640. */
  mode: number;
  /** Epoch ms used for the new mtimes; moved past an old file's mtime if needed (Java SDK reload check). */
  nowMs?: number;
  /**
   * fsync the directories after the renames (default true), so that the new names survive a power loss. Without it a
   * power loss can undo some of the renames: each file is then its previous or its new version, complete (every temp
   * file is fsynced before its rename), never a partial one, but the set can mix the two.
   */
  syncDirectory?: boolean;
  fs?: Partial<WriteFileSetFs>;
}

/** Suffixes of this process's temp names: a random start, then counted up (one random draw per process). */
let tempSuffix: number | undefined;

/** Name of the temp file that will replace `path` (same directory; removeStaleTempFiles knows the pattern). */
export function tempPathFor(path: string): string {
  tempSuffix = ((tempSuffix ?? randomBytes(4).readUInt32BE(0)) + 1) >>> 0;
  const suffix = tempSuffix.toString(16).padStart(8, "0");
  return join(dirname(path), `.${basename(path)}.${process.pid}.${suffix}.tmp`);
}

/*
 * The steps that only touch metadata or the page cache (open, write of a few KB, chmod, utimes, rename, close) are
 * synchronous calls: microseconds each on the local volume, where a call through the thread pool costs the process
 * several times more CPU. The fsyncs, which wait for the disk, run off the event loop.
 */

/** fsync(2) of `fd` in the thread pool. */
function fsyncFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));
}

/** Creates a temp file exclusively (never through an existing name or link), writes, fsyncs and closes it. */
async function writeTemp(tmp: string, data: string | Buffer, mode: number): Promise<void> {
  const fd = openSync(tmp, "wx", mode);
  try {
    writeFileSync(fd, data);
    fchmodSync(fd, mode); // the umask may have narrowed the mode given to open()
    await fsyncFd(fd);
  } finally {
    closeSync(fd);
  }
}

const realFs: WriteFileSetFs = { writeTemp, rename: async (from, to) => renameSync(from, to) };

/**
 * Replaces every file of `files` or, on failure before the first rename, none: all temp files are written and fsynced
 * first, then renamed one by one, then the directories are fsynced (unless `syncDirectory` is false). Readers see each
 * file old or new, never a mix. A target that is a symlink is refused (OUTPUT_IS_SYMLINK) before anything is written.
 * Any other failure is OUTPUT_NOT_WRITABLE, whose message and `details.replaced` / `details.unchanged` say exactly
 * which files were replaced (only possible when a rename itself fails); the temp files are removed.
 */
export async function writeFileSet(files: readonly FileToWrite[], opts: WriteFileSetOptions): Promise<void> {
  const fs: WriteFileSetFs = { ...realFs, ...opts.fs };
  const now = opts.nowMs ?? Date.now();
  const previousMtimes = new Map<string, number>();
  for (const f of files) {
    let st: Stats | undefined;
    try {
      st = lstatSync(f.path, { throwIfNoEntry: false });
    } catch (cause) {
      throw notWritable(f.path, cause, [], files);
    }
    if (st?.isSymbolicLink()) throw symlinkRefused(f.path);
    if (st) previousMtimes.set(f.path, st.mtimeMs);
  }

  const temps: string[] = [];
  try {
    for (const f of files) {
      const tmp = tempPathFor(f.path);
      temps.push(tmp);
      await fs.writeTemp(tmp, f.data, opts.mode);
      const previous = previousMtimes.get(f.path);
      const mtimeMs = previous !== undefined && previous >= now ? previous + 1000 : now;
      utimesSync(tmp, now / 1000, mtimeMs / 1000);
    }
  } catch (cause) {
    // a temp name that was taken already (EEXIST from the exclusive create) is not ours to remove
    await removeTemps((cause as NodeJS.ErrnoException).code === "EEXIST" ? temps.slice(0, -1) : temps);
    throw notWritable(files[temps.length - 1]!.path, cause, [], files);
  }

  const replaced: string[] = [];
  for (const [i, f] of files.entries()) {
    try {
      await fs.rename(temps[i]!, f.path);
    } catch (cause) {
      await removeTemps(temps.slice(i));
      throw notWritable(f.path, cause, replaced, files);
    }
    replaced.push(f.path);
  }
  if (opts.syncDirectory === false) return;
  for (const dir of new Set(files.map((f) => dirname(f.path)))) await syncDirectory(dir);
}

/** Removes temp files; one that cannot be removed (directory no longer writable) is removed by removeStaleTempFiles. */
async function removeTemps(temps: readonly string[]): Promise<void> {
  for (const tmp of temps) {
    try {
      unlinkSync(tmp);
    } catch {
      // left for removeStaleTempFiles
    }
  }
}

function notWritable(
  path: string,
  cause: unknown,
  replaced: readonly string[],
  files: readonly FileToWrite[],
): IamraError {
  const errno = (cause as { code?: string }).code;
  const unchanged = files.map((f) => f.path).filter((p) => !replaced.includes(p));
  const outcome =
    replaced.length === 0
      ? "no file was replaced; the previous files, if any, are unchanged"
      : `already replaced: ${replaced.join(", ")}; unchanged: ${unchanged.join(", ")}`;
  return new IamraError({
    code: "OUTPUT_NOT_WRITABLE",
    message: `cannot write ${path} (${errno ?? (cause as Error).message}); ${outcome}`,
    hint:
      errno === "EACCES" || errno === "EPERM" || errno === "EROFS"
        ? "make the output directory writable by this user (e.g. an emptyDir volume with fsGroup)"
        : errno === "ENOENT"
          ? "create the output directory (mount the shared emptyDir) or fix --output-dir"
          : errno === "ENOSPC"
            ? "the volume is full"
            : "check the output directory",
    retryable: errno === "ENOSPC" || errno === "EIO",
    step: "write-output",
    details: { path, errno, replaced: [...replaced], unchanged },
    cause,
  });
}

/** fsync on the directory makes the renames durable; some filesystems refuse it, which is harmless. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const fd = openSync(dir, "r");
    try {
      await fsyncFd(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // not supported on every filesystem; the renames themselves are already atomic
  }
}
