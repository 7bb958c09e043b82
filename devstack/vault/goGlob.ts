/**
 * ryanuber/go-glob (used by Vault's strutil.StrListContainsGlob and PKI): `*` matches any run of characters, `/`
 * included.
 */
export function goGlob(pattern: string, subject: string): boolean {
  if (pattern === "*") return true;
  const re = pattern
    .split("*")
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${re}$`, "s").test(subject);
}
