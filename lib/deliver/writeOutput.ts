import type { Writable } from "node:stream";

/** Streams given an error listener by writeOutput: failures reach the writer through the write callback instead. */
const listened = new WeakSet<Writable>();
/** Streams whose reader has gone (EPIPE): what is written to them later is dropped. */
const broken = new WeakSet<Writable>();

/**
 * Writes a command's output `text` to `out` (its stdout) and resolves once it is handed to the system. When the reader
 * of the pipe has gone (`iamra-vault vault-config plan | head -1`), the rest of the output is dropped and the command
 * goes on to its own exit code, rather than dying on an unhandled EPIPE. Any other write error rejects.
 */
export function writeOutput(out: Writable, text: string): Promise<void> {
  if (broken.has(out)) return Promise.resolve();
  if (!listened.has(out)) {
    listened.add(out);
    out.on("error", () => undefined); // reported by the write callback below
  }
  return new Promise((resolve, reject) =>
    out.write(text, (err) => {
      if (!err) return resolve();
      if ((err as NodeJS.ErrnoException).code !== "EPIPE") return reject(err);
      broken.add(out);
      resolve();
    }),
  );
}
