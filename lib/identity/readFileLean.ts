import { readFile as readFileCallback } from "node:fs";

/**
 * fs.readFile as a promise, without node:fs/promises: that module loads Node's readline and stream modules, which
 * credential-process (one short run per call) does not otherwise need.
 */
export function readFileLean(path: string): Promise<Buffer>;
export function readFileLean(path: string, encoding: BufferEncoding): Promise<string>;
export function readFileLean(path: string, encoding?: BufferEncoding): Promise<Buffer | string> {
  return new Promise((resolve, reject) => {
    if (encoding) readFileCallback(path, encoding, (err, data) => (err ? reject(err) : resolve(data)));
    else readFileCallback(path, (err, data) => (err ? reject(err) : resolve(data)));
  });
}
