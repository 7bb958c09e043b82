import { LineCounter, parseDocument } from "yaml";
import { ConfigError } from "../errors.js";
import { ConfigFieldReader } from "./ConfigFieldReader.js";
import { configPatterns as P } from "./configPatterns.js";
import { readBindings } from "./readBindings.js";
import { readPkiSection } from "./readPkiSection.js";
import type { KubernetesAuthConfig, Removals, VaultConfig } from "./VaultConfig.js";

type Obj = Record<string, unknown>;

/** Where the config came from and how to read the files it names (paths as written; the caller resolves them). */
export interface ParseVaultConfigOptions {
  /** Shown in errors, e.g. the file name. */
  source?: string;
  /** Reads a file the config refers to (caCertFile, tokenReviewerJwtFile); throws when it cannot. */
  readFile?: (path: string) => string;
}

const TOP_KEYS = ["version", "trustDomain", "kubernetesAuth", "pki", "bindings", "remove", "export"] as const;

function readFileField(
  r: ConfigFieldReader,
  o: Obj,
  key: string,
  path: string,
  opts: ParseVaultConfigOptions,
): string | undefined {
  const file = r.string(o, key, path);
  if (file === undefined) return undefined;
  if (!opts.readFile) {
    r.problem(ConfigFieldReader.join(path, key), "files cannot be read here; give the value inline");
    return undefined;
  }
  try {
    const text = opts.readFile(file).trim();
    if (!text) r.problem(ConfigFieldReader.join(path, key), `${file} is empty`);
    return text || undefined;
  } catch (err) {
    r.problem(
      ConfigFieldReader.join(path, key),
      `cannot read ${file}: ${(err as { code?: string }).code ?? (err as Error).message}`,
    );
    return undefined;
  }
}

function readKubernetesAuth(r: ConfigFieldReader, root: Obj, opts: ParseVaultConfigOptions): KubernetesAuthConfig {
  const path = "kubernetesAuth";
  const o = r.object(root, "kubernetesAuth", "", ["mount", "description", "config"]) ?? {};
  const mount = r.string(o, "mount", path, { default: "kubernetes", ...P.mount })!;
  const description = r.string(o, "description", path, { default: "iamra-vault: Kubernetes service accounts" })!;
  const cp = ConfigFieldReader.join(path, "config");
  const allowed = [
    "host",
    "caCert",
    "caCertFile",
    "issuer",
    "disableIssValidation",
    "disableLocalCaJwt",
    "tokenReviewerJwtFile",
  ];
  const c = r.object(o, "config", path, allowed);
  if (!c) return { mount, description };
  if (c.caCert !== undefined && c.caCertFile !== undefined) r.problem(cp, "give caCert or caCertFile, not both");
  const caCert = r.string(c, "caCert", cp)?.trim() ?? readFileField(r, c, "caCertFile", cp, opts);
  if (caCert !== undefined && !caCert.includes("-----BEGIN CERTIFICATE-----"))
    r.problem(cp, "caCert must be PEM (-----BEGIN CERTIFICATE-----)");
  const disableLocalCaJwt = r.bool(c, "disableLocalCaJwt", cp, false);
  // Vault and OpenBao refuse this combination ("kubernetes_ca_cert must be given when disable_local_ca_jwt is true")
  if (disableLocalCaJwt && caCert === undefined && c.caCertFile === undefined) {
    r.problem(cp, "disableLocalCaJwt: true needs caCert or caCertFile");
  }
  return {
    mount,
    description,
    config: {
      host: r.string(c, "host", cp, { required: true, ...P.url }) ?? "",
      caCert,
      issuer: r.string(c, "issuer", cp),
      disableIssValidation: r.bool(c, "disableIssValidation", cp, true),
      disableLocalCaJwt,
      tokenReviewerJwt: readFileField(r, c, "tokenReviewerJwtFile", cp, opts),
    },
  };
}

function readRemovals(r: ConfigFieldReader, root: Obj): Removals {
  const o = r.object(root, "remove", "", ["pkiRoles", "policies", "kubernetesRoles"]) ?? {};
  return {
    pkiRoles: r.stringList(o, "pkiRoles", "remove", P.name),
    policies: r.stringList(o, "policies", "remove", P.name),
    kubernetesRoles: r.stringList(o, "kubernetesRoles", "remove", P.name),
  };
}

function checkRemovals(r: ConfigFieldReader, c: VaultConfig): void {
  const declared = {
    pkiRoles: new Set(c.bindings.map((b) => b.certificate.role)),
    policies: new Set(["default", "root", ...c.bindings.map((b) => b.vault.policy)]),
    kubernetesRoles: new Set(c.bindings.map((b) => b.vault.role)),
  };
  for (const kind of ["pkiRoles", "policies", "kubernetesRoles"] as const) {
    c.remove[kind].forEach((name, i) => {
      if (declared[kind].has(name))
        r.problem(`remove.${kind}[${i}]`, `"${name}" is declared (or built in) and cannot also be removed`);
    });
  }
}

/**
 * Parses and validates a vault-config YAML document. Every problem is collected (YAML syntax, unknown keys, types,
 * names, TTL relations, duplicates) and thrown together as one ConfigError whose `problems` carry the paths.
 */
export function parseVaultConfig(text: string, opts: ParseVaultConfigOptions = {}): VaultConfig {
  const source = opts.source ?? "vault-config";
  const lines = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter: lines });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => {
      const at = lines.linePos(e.pos[0]);
      return `line ${at.line}, column ${at.col}: ${e.message.split("\n")[0]}`;
    });
    throw new ConfigError({
      code: "VAULT_CONFIG_INVALID",
      message: `${source} is not valid YAML: ${problems.join("; ")}`,
      problems,
      hint: "fix the YAML syntax",
    });
  }
  const r = new ConfigFieldReader();
  const root = r.asObject(doc.toJS() ?? {}, "", TOP_KEYS) ?? {};
  const version = r.int(root, "version", "", 1, 1, { default: 1 });
  void version; // only version 1 exists; the check above rejects others
  const trustDomain = r.string(root, "trustDomain", "", { required: true, ...P.trustDomain }) ?? "";
  const kubernetesAuth = readKubernetesAuth(r, root, opts);
  const pki = readPkiSection(r, root);
  const bindings = readBindings(r, root, pki.maxLeaseTtlSec);
  const eo = r.object(root, "export", "", ["trustAnchorName", "profileName", "profileDurationSeconds"]) ?? {};
  const config: VaultConfig = {
    trustDomain,
    kubernetesAuth,
    pki,
    bindings,
    remove: readRemovals(r, root),
    export: {
      trustAnchorName: r.string(eo, "trustAnchorName", "export", { default: "iamra-vault" })!,
      profileName: r.string(eo, "profileName", "export", { default: "iamra-vault" })!,
      profileDurationSeconds: r.int(eo, "profileDurationSeconds", "export", 900, 43200, { default: 3600 })!,
    },
  };
  checkRemovals(r, config);
  if (r.problems.length > 0) {
    throw new ConfigError({
      code: "VAULT_CONFIG_INVALID",
      message: `${source} has ${r.problems.length} problem(s): ${r.problems.join("; ")}`,
      problems: r.problems,
      hint: "fix every listed path; the schema is documented in vault-config/README.md",
      step: "read-config",
    });
  }
  return config;
}
