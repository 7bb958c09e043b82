/** Received HTTP headers as the SigV4 verifiers of the devstack stand-ins read them. */

/** Header name (lower case) → values joined by "," in arrival order, from Node's req.rawHeaders. */
export function headerMap(rawHeaders: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const prev = map.get(name);
    map.set(name, prev === undefined ? rawHeaders[i + 1]! : `${prev},${rawHeaders[i + 1]!}`);
  }
  return map;
}
