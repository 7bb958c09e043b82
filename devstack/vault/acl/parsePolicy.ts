/** One `path` stanza of an ACL policy. */
export interface PolicyRule {
  path: string;
  capabilities: string[];
}

const CAPABILITIES = new Set(["create", "read", "update", "delete", "list", "sudo", "deny", "patch"]);
const STANZA = /\s*path\s+"([^"]+)"\s*\{\s*capabilities\s*=\s*\[([^\]]*)\]\s*\}/y;

/**
 * Parses the policies the product writes: `#` comment lines and `path "<path>" { capabilities = [...] }` stanzas
 * (on one line or several). Anything else of HCL is refused; throws Error saying where.
 */
export function parsePolicy(src: string): PolicyRule[] {
  const text = src.replace(/^\s*(#|\/\/).*$/gm, "");
  const rules: PolicyRule[] = [];
  STANZA.lastIndex = 0;
  let at = 0;
  for (let m = STANZA.exec(text); m; m = STANZA.exec(text)) {
    const path = m[1]!;
    const capabilities = m[2]!
      .split(",")
      .map((c) => c.trim())
      .filter((c) => c !== "")
      .map((c) => {
        const cap = /^"([^"]*)"$/.exec(c)?.[1]?.toLowerCase();
        if (!cap || !CAPABILITIES.has(cap)) throw new Error(`path "${path}": invalid capability ${c}`);
        return cap;
      });
    rules.push({ path: path.replace(/^\//, ""), capabilities });
    at = STANZA.lastIndex;
  }
  const rest = text.slice(at).trim();
  if (rest !== "") throw new Error(`unsupported policy syntax at "${rest.slice(0, 40)}"`);
  return rules;
}
