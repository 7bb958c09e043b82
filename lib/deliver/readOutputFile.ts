import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { IamraError } from "../errors.js";

/** Largest file read from the output directory, bytes; real credentials and config files hold a few KB. */
export const MAX_OUTPUT_FILE_BYTES = 1024 * 1024;

/**
 * Reads a file of the output directory as UTF-8, or undefined when it does not exist. Never follows a symlink
 * (O_NOFOLLOW: OUTPUT_IS_SYMLINK), never blocks on a FIFO, reads only regular files (OUTPUT_NOT_READABLE) and at most
 * `maxBytes` (default 1 MiB: OUTPUT_FILE_TOO_LARGE), so memory stays bounded whatever was planted there. The calls are
 * synchronous: a few KB from the page cache of the local volume take microseconds, far less CPU than a trip through
 * the thread pool for each of open, fstat, read and close.
 */
export async function readOutputFile(
  path: string,
  maxBytes: number = MAX_OUTPUT_FILE_BYTES,
): Promise<string | undefined> {
  return readOutputFileSync(path, maxBytes);
}

function readOutputFileSync(path: string, maxBytes: number): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (cause) {
    const errno = (cause as { code?: string }).code;
    if (errno === "ENOENT") return undefined;
    if (errno === "ELOOP") throw symlinkRefused(path, cause);
    throw notReadable(path, errno ?? (cause as Error).message, cause);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw notReadable(path, "not a regular file");
    if (st.size > maxBytes) throw tooLarge(path, st.size, maxBytes);
    // the file may grow after fstat: read into a buffer one byte larger than allowed and check again
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let total = 0;
    for (;;) {
      const bytesRead = readSync(fd, buf, total, buf.length - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total === buf.length) {
        if (total > maxBytes) throw tooLarge(path, total, maxBytes);
        break; // grew a little but is still within the bound: what fits is read, the rest is a concurrent append
      }
    }
    return buf.subarray(0, total).toString("utf8");
  } catch (cause) {
    if (cause instanceof IamraError) throw cause;
    const errno = (cause as { code?: string }).code;
    throw notReadable(path, errno ?? (cause as Error).message, cause);
  } finally {
    closeSync(fd);
  }
}

/** OUTPUT_IS_SYMLINK: a file that iamra-vault reads or replaces in the output directory is a symbolic link. */
export function symlinkRefused(path: string, cause?: unknown): IamraError {
  return new IamraError({
    code: "OUTPUT_IS_SYMLINK",
    message: `refusing to use ${path}: it is a symbolic link; nothing was read through it and no file was replaced`,
    hint: "remove the link: iamra-vault writes regular files in its own output directory and never follows links there",
    step: "write-output",
    details: { path },
    cause,
  });
}

function tooLarge(path: string, size: number, maxBytes: number): IamraError {
  return new IamraError({
    code: "OUTPUT_FILE_TOO_LARGE",
    message:
      `refusing to read ${path}: it holds at least ${size} bytes, more than the ${maxBytes} a credentials or config ` +
      "file needs; it was left unchanged",
    hint: "remove or shrink the file, or give iamra-vault an output directory of its own (an emptyDir)",
    step: "write-output",
    details: { path, size, maxBytes },
  });
}

function notReadable(path: string, reason: string, cause?: unknown): IamraError {
  return new IamraError({
    code: "OUTPUT_NOT_READABLE",
    message: `cannot read the existing ${path} (${reason}) to keep its other content; it was left unchanged`,
    hint: "make it a regular file readable by this user, or remove it",
    step: "write-output",
    details: { path, reason },
    cause,
  });
}
