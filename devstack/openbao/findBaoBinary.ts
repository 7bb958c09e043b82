import { accessSync, constants } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../../lib/errors.js";

/**
 * Where the project's test peers put `bao` (`npm test` installs it): two levels up from here when run from source,
 * three from dist/.
 */
const PROJECT_PEER_BAO = [
  fileURLToPath(new URL("../../.peers/py/bin/bao", import.meta.url)),
  fileURLToPath(new URL("../../../.peers/py/bin/bao", import.meta.url)),
];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false; // missing or not executable: the caller tries the next place
  }
}

/**
 * The OpenBao binary to start: `baoPath` when given (it must be executable), else `bao` on `pathEnv`, else the
 * project's pinned peer. Throws DEVSTACK_BAO_NOT_FOUND (a usage error, exit 2) naming every place looked at.
 */
export function findBaoBinary(o: { baoPath?: string; pathEnv?: string; projectPeers?: string[] }): string {
  if (o.baoPath !== undefined) {
    if (isExecutable(o.baoPath)) return o.baoPath;
    throw new ConfigError({
      code: "DEVSTACK_BAO_NOT_FOUND",
      message: `--bao-path ${o.baoPath} is not an executable file`,
      hint: "point --bao-path at the OpenBao binary (`bao`), or leave it out to use bao from PATH",
    });
  }
  const onPath = (o.pathEnv ?? "")
    .split(delimiter)
    .filter((d) => isAbsolute(d))
    .map((d) => join(d, "bao"));
  const candidates = [...onPath, ...(o.projectPeers ?? PROJECT_PEER_BAO)];
  const found = candidates.find(isExecutable);
  if (found) return found;
  throw new ConfigError({
    code: "DEVSTACK_BAO_NOT_FOUND",
    message: "no OpenBao binary (bao) on PATH or in the project's .peers/",
    hint:
      "install OpenBao (https://openbao.org/docs/install/) or run `npm run test:peers`, pass --bao-path, " +
      "or drop --vault openbao to use the built-in Vault stand-in",
  });
}
