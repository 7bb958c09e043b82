import { writeSync } from "node:fs";

/** How long a write waits before retrying when the descriptor is non-blocking and full (pino's sync destination's). */
const BUSY_RETRY_MS = 100;

/** Descriptors whose reader has gone (EPIPE): later lines to them are dropped. */
const brokenPipes = new Set<number>();

/**
 * Writes `line` to file descriptor `fd` completely before returning: partial writes continue where they stopped, and
 * EAGAIN/EBUSY (a non-blocking pipe that is full) waits and retries, as pino's synchronous destination does. Once the
 * reader of a pipe has gone (EPIPE), this line and every later one to that descriptor are dropped, as pino drops
 * them: a log line must not fail the work it reports on. Any other error is thrown.
 */
export function writeLineSync(fd: number, line: string): void {
  if (brokenPipes.has(fd)) return;
  let buf = Buffer.from(line, "utf8");
  while (buf.length > 0) {
    try {
      buf = buf.subarray(writeSync(fd, buf));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EPIPE") {
        brokenPipes.add(fd);
        return;
      }
      if (code !== "EAGAIN" && code !== "EBUSY") throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, BUSY_RETRY_MS);
    }
  }
}
