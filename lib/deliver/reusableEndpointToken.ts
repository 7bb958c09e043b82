import { constants } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";

/** What createAuthToken produces: 32 random bytes as base64url, 43 characters. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** The token to keep, or why the file is not kept (absent, or not exactly what this refresher would have written). */
export type ReusableToken = { token: string; reason?: undefined } | { token?: undefined; reason: string };

/**
 * Reads an endpoint token file left by an earlier run of the refresher (a container restart keeps the pod's emptyDir),
 * so that clients which cached its token keep working. The file is kept only when it is exactly what the refresher
 * writes: a regular file (never through a symlink), one link, owned by `uid`, with mode `mode`, holding one token of
 * createAuthToken's shape and nothing else. Never throws: anything else is a reason to write a new token.
 */
export async function reusableEndpointToken(
  path: string,
  expect: { mode: number; uid: number },
): Promise<ReusableToken> {
  let fh: FileHandle;
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (cause) {
    const errno = (cause as { code?: string }).code;
    if (errno === "ENOENT") return { reason: "absent" };
    return { reason: errno === "ELOOP" ? "a symbolic link" : `not readable (${errno ?? (cause as Error).message})` };
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return { reason: "not a regular file" };
    if (st.nlink !== 1) return { reason: `${st.nlink} hard links` };
    if (st.uid !== expect.uid) return { reason: `owned by uid ${st.uid}, not ${expect.uid}` };
    const mode = st.mode & 0o7777;
    if (mode !== expect.mode) return { reason: `mode ${mode.toString(8)}, not ${expect.mode.toString(8)}` };
    if (st.size !== 43) return { reason: `${st.size} bytes, not 43` };
    const buf = Buffer.alloc(44);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const token = buf.subarray(0, bytesRead).toString("latin1");
    return TOKEN_SHAPE.test(token) ? { token } : { reason: "not a token this refresher writes" };
  } catch (cause) {
    return { reason: `not readable (${(cause as { code?: string }).code ?? (cause as Error).message})` };
  } finally {
    await fh.close();
  }
}
