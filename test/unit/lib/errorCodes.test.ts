import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ERROR_CODE_GROUPS, ERROR_CODES, type ErrorCodeEntry } from "../../../lib/errorCodes.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const SOURCE_DIRS = ["lib", "cli", "init", "refresher", "vault-config", "credential-process", "webhook", "devstack"];
const CATALOGUE_FILE = "lib/errorCodes.ts";
const CATALOGUE_DIR = "lib/errorCodes/";
/** Codes set in a `code:` position that are not the project's error codes, with the reason. */
const NOT_OURS: Record<string, string> = {
  ETIMEDOUT: "a Node.js socket error code, set on a plain Error the HTTP client turns into PROXY_UNREACHABLE",
  ECONNRESET: "a Node.js socket error code, set on a plain Error when Vault's answer is cut short (VAULT_UNREACHABLE)",
};

interface CodeUse {
  code: string;
  file: string;
  /** The error class constructed around it (`new ConfigError({ code: ... })`), when there is one. */
  errorClass?: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith(".ts"))
    .map((d) => relative(root, join(d.parentPath, d.name)));
}

/** End of the expression starting at `from`: the first `,` `;` or closing bracket outside brackets and strings. */
function expressionEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'" || ch === "`") {
      i = text.indexOf(ch, i + 1);
      if (i < 0) return text.length;
    } else if ("([{".includes(ch)) depth++;
    else if (")]}".includes(ch)) {
      if (depth === 0) return i;
      depth--;
    } else if ((ch === "," || ch === ";") && depth === 0) return i;
  }
  return text.length;
}

/**
 * Every code literal in a code position of `text`: the value of a `code:` property or of `const code =`, including
 * each branch of a conditional. Codes passed as positional arguments are checked by the compiler (typed ErrorCode).
 */
export function codesSetIn(text: string, file: string): CodeUse[] {
  const uses: CodeUse[] = [];
  for (const m of text.matchAll(/\bcode\s*:(?!:)|\bconst code\s*=/g)) {
    const start = m.index + m[0].length;
    const expr = text.slice(start, expressionEnd(text, start));
    const opener = /new (\w+)\(\{[^{}]*$/.exec(text.slice(Math.max(0, m.index - 300), m.index));
    for (const lit of expr.matchAll(/"([A-Z][A-Z0-9_]*)"/g)) uses.push({ code: lit[1], file, errorClass: opener?.[1] });
  }
  // A ConfigError without a code gets CONFIG_INVALID.
  for (const m of text.matchAll(/new ConfigError\(\{/g)) {
    const body = text.slice(m.index, expressionEnd(text, m.index + m[0].length));
    if (!/\bcode\s*:/.test(body)) uses.push({ code: "CONFIG_INVALID", file, errorClass: "ConfigError" });
  }
  return uses;
}

const files = SOURCE_DIRS.flatMap(sourceFiles).filter((f) => f !== CATALOGUE_FILE && !f.startsWith(CATALOGUE_DIR));
const texts = new Map(files.map((f) => [f, readFileSync(join(root, f), "utf8")]));
const uses = [...texts].flatMap(([file, text]) => codesSetIn(text, file));
const catalogue: Readonly<Record<string, ErrorCodeEntry>> = ERROR_CODES;

describe("codesSetIn (the source scan behind the catalogue checks)", () => {
  it("finds codes in properties, conditionals over several lines, and code-less ConfigErrors", () => {
    const text = [
      'throw new IamraError({ code: "VAULT_DENIED", message: "m" });',
      'const code = a\n  ? "RA_THROTTLED"\n  : b ? "RA_NOT_FOUND" : "RA_VALIDATION";',
      'throw new ConfigError({ message: `x, ${y}`, hint: "h" });',
      'return { code: c ? "OUTPUT_DIR_LOCKED" : "OUTPUT_NOT_WRITABLE", hint: "NOT_A_CODE" };',
      "const t: { code: string; x: number } = v;",
    ].join("\n");
    expect(codesSetIn(text, "f.ts")).to.deep.equal([
      { code: "VAULT_DENIED", file: "f.ts", errorClass: "IamraError" },
      { code: "RA_THROTTLED", file: "f.ts", errorClass: undefined },
      { code: "RA_NOT_FOUND", file: "f.ts", errorClass: undefined },
      { code: "RA_VALIDATION", file: "f.ts", errorClass: undefined },
      { code: "OUTPUT_DIR_LOCKED", file: "f.ts", errorClass: undefined },
      { code: "OUTPUT_NOT_WRITABLE", file: "f.ts", errorClass: undefined },
      { code: "CONFIG_INVALID", file: "f.ts", errorClass: "ConfigError" },
    ]);
  });
});

describe("ERROR_CODES", () => {
  it("has every code the source sets", () => {
    expect(uses.length).to.be.above(100);
    const missing = uses.filter((u) => !(u.code in catalogue) && !(u.code in NOT_OURS));
    expect(missing.map((u) => `${u.code} (${u.file})`)).to.deep.equal([]);
  });

  it("has no code that the source never uses", () => {
    const unused = Object.keys(catalogue).filter((code) => ![...texts.values()].some((t) => t.includes(`"${code}"`)));
    expect(unused).to.deep.equal([]);
  });

  it("lists exit code 2 for every code a ConfigError is thrown with, and 1 for every other error class", () => {
    const wrong = uses
      .filter((u) => u.errorClass?.endsWith("Error") && u.code in catalogue)
      .filter((u) => !catalogue[u.code].exitCodes.includes(u.errorClass === "ConfigError" ? 2 : 1))
      .map((u) => `${u.code} as ${u.errorClass} (${u.file})`);
    expect(wrong).to.deep.equal([]);
    const thrownAsConfig = (code: string) => uses.some((u) => u.code === code && u.errorClass === "ConfigError");
    const neverConfig = Object.entries(catalogue)
      .filter(([code, e]) => e.exitCodes.includes(2) && !thrownAsConfig(code))
      .map(([code]) => code);
    expect(neverConfig).to.deep.equal([]);
  });

  it("marks as devstack-only exactly the codes used only under devstack/", () => {
    const usedOutside = (code: string) =>
      [...texts].some(([file, text]) => !file.startsWith("devstack/") && text.includes(`"${code}"`));
    const wrong = Object.entries(catalogue)
      .filter(([code, e]) => (e.devstackOnly === true) === usedOutside(code))
      .map(([code]) => code);
    expect(wrong).to.deep.equal([]);
  });

  it("gives every entry a known group, a meaning and a hint", () => {
    for (const [code, e] of Object.entries(catalogue)) {
      expect(code).to.match(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(Object.keys(ERROR_CODE_GROUPS), code).to.include(e.group);
      expect(e.meaning.length, code).to.be.above(10);
      expect(e.hint.length, code).to.be.above(3);
    }
  });
});
