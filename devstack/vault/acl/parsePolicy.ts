/** One `path` stanza of an ACL policy. */
export interface PolicyRule {
  path: string;
  capabilities: string[];
}

const CAPABILITIES = new Set(["create", "read", "update", "delete", "list", "sudo", "deny", "patch", "subscribe", "recover"]);
const LEGACY: Record<string, string[]> = {
  deny: ["deny"],
  read: ["read", "list"],
  write: ["create", "read", "update", "delete", "list"],
  sudo: ["create", "read", "update", "delete", "list", "sudo"],
};

type Tok = { kind: "str" | "ident" | "num" | "punct"; value: string };

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) i++;
    else if (c === "#" || (c === "/" && src[i + 1] === "/")) while (i < src.length && src[i] !== "\n") i++;
    else if (c === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      if (end < 0) throw new Error("unterminated comment");
      i = end + 2;
    } else if (c === '"') {
      let j = i + 1;
      let value = "";
      while (j < src.length && src[j] !== '"') {
        if (src[j] === "\\") j++;
        value += src[j];
        j++;
      }
      if (j >= src.length) throw new Error("unterminated string");
      toks.push({ kind: "str", value });
      i = j + 1;
    } else if ("{}[]=,".includes(c)) {
      toks.push({ kind: "punct", value: c });
      i++;
    } else {
      const m = /^[A-Za-z0-9_.\-]+/.exec(src.slice(i));
      if (!m) throw new Error(`At ${lineOf(src, i)}: illegal char`);
      toks.push({ kind: /^[\d.\-]/.test(m[0]) ? "num" : "ident", value: m[0] });
      i += m[0].length;
    }
  }
  return toks;
}

function lineOf(src: string, pos: number): string {
  const line = src.slice(0, pos).split("\n").length;
  return `${line}:${pos - src.lastIndexOf("\n", pos - 1)}`;
}

type Value = string | Value[] | { [k: string]: Value } | Block[];
interface Block {
  key: string;
  labels: string[];
  body: Record<string, Value>;
}

/** Parses the HCL subset ACL policies use and returns the `path` rules; throws Error on bad syntax. */
export function parsePolicy(src: string): PolicyRule[] {
  const toks = tokenize(src);
  let pos = 0;
  const peek = () => toks[pos];
  const expect = (v: string) => {
    const t = toks[pos++];
    if (!t || t.value !== v || t.kind !== "punct") throw new Error(`expected '${v}' but found ${t ? `'${t.value}'` : "end of input"}`);
  };
  const parseValue = (): Value => {
    const t = toks[pos++];
    if (!t) throw new Error("unexpected end of input");
    if (t.kind === "str" || t.kind === "ident" || t.kind === "num") return t.value;
    if (t.value === "[") {
      const items: Value[] = [];
      while (peek() && peek()!.value !== "]") {
        items.push(parseValue());
        if (peek()?.value === ",") pos++;
      }
      expect("]");
      return items;
    }
    if (t.value === "{") {
      const body = parseBody("}");
      expect("}");
      return body;
    }
    throw new Error(`unexpected '${t.value}'`);
  };
  const parseBody = (terminator: string | undefined): Record<string, Value> => {
    const body: Record<string, Value> = {};
    while (peek() && peek()!.value !== terminator) {
      const keyTok = toks[pos++]!;
      if (keyTok.kind === "punct") throw new Error(`unexpected '${keyTok.value}'`);
      if (peek()?.value === "=") {
        pos++;
        body[keyTok.value] = parseValue();
        if (peek()?.value === ",") pos++;
        continue;
      }
      const labels: string[] = [];
      while (peek() && peek()!.kind === "str") labels.push(toks[pos++]!.value);
      expect("{");
      const inner = parseBody("}");
      expect("}");
      const list = (body[keyTok.value] as Block[] | undefined) ?? [];
      list.push({ key: keyTok.value, labels, body: inner });
      body[keyTok.value] = list;
    }
    return body;
  };
  const top = parseBody(undefined);
  const rules: PolicyRule[] = [];
  for (const block of (top["path"] as Block[] | undefined) ?? []) {
    const path = block.labels[0];
    if (path === undefined) throw new Error("path stanza without a path");
    const caps = new Set<string>();
    const list = block.body["capabilities"];
    if (Array.isArray(list)) {
      for (const c of list) {
        if (typeof c !== "string" || !CAPABILITIES.has(c.toLowerCase())) throw new Error(`path "${path}": invalid capability "${String(c)}"`);
        caps.add(c.toLowerCase());
      }
    }
    const legacy = block.body["policy"];
    if (typeof legacy === "string") {
      const mapped = LEGACY[legacy.toLowerCase()];
      if (!mapped) throw new Error(`path "${path}": invalid policy "${legacy}"`);
      mapped.forEach((c) => caps.add(c));
    }
    rules.push({ path: path.replace(/^\//, ""), capabilities: [...caps] });
  }
  return rules;
}
