import { domainToASCII } from "node:url";
import type { Entity } from "../identity/IdentityStore.js";
import { isTemplate, renderIdentityTemplate, TemplateError } from "../identity/renderIdentityTemplate.js";
import type { PkiRole } from "./pkiRole.js";
import { goGlob } from "../goGlob.js";

const HOSTNAME =
  /^(\*\.)?(([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])\.)*([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])\.?$/;

/** Renders a role pattern when templating is on and the token has an entity; a rendering error skips it (undefined). */
function patternFor(pattern: string, templating: boolean, entity: Entity | undefined): string | undefined {
  if (!templating || !entity || !isTemplate(pattern)) return pattern;
  try {
    return renderIdentityTemplate(pattern, entity);
  } catch (err) {
    if (err instanceof TemplateError) return undefined;
    throw err;
  }
}

/** Vault's ValidateNames (issuing/issue_common.go): the first name the role does not allow, or undefined. */
export function validateNames(role: PkiRole, names: string[], entity: Entity | undefined): string | undefined {
  for (const name of names) {
    let matchName = name;
    let isEmail = false;
    if (name.includes("@")) {
      const parts = name.split("@");
      if (parts.length !== 2 || !parts[1]) return name;
      matchName = parts[1];
      isEmail = true;
    }
    let reduced = matchName;
    let isWildcard = false;
    if (matchName.includes("*")) {
      if (role["allow_wildcard_certificates"] === false) return name;
      const labels = matchName.split(".");
      if (!labels[0]!.includes("*") || matchName.split("*").length !== 2) return name;
      isWildcard = true;
      reduced = labels.slice(1).join(".");
    }
    if (role["enforce_hostnames"]) {
      const ascii = domainToASCII(reduced);
      if (!ascii || !HOSTNAME.test(ascii)) return name;
    }
    if (role["allow_any_name"]) continue;
    const lower = reduced.toLowerCase();
    if (role["allow_localhost"]) {
      if (["localhost", "localdomain"].includes(lower)) continue;
      if (role["allow_subdomains"] && (lower.endsWith(".localhost") || lower.endsWith(".localdomain"))) continue;
    }
    let valid = false;
    for (const raw of role.allowed_domains) {
      const d = patternFor(raw, !!role["allowed_domains_template"], entity);
      if (d === undefined || d === "") continue;
      const dl = d.toLowerCase();
      if (role["allow_bare_domains"] && (name.toLowerCase() === dl || (isEmail && matchName.toLowerCase() === dl)))
        valid = true;
      if (role["allow_subdomains"] && (lower.endsWith(`.${dl}`) || (isWildcard && lower === dl))) valid = true;
      if (role["allow_glob_domains"] && d.includes("*") && goGlob(dl, matchName.toLowerCase())) valid = true;
      if (valid) break;
    }
    if (!valid) return name;
  }
  return undefined;
}

/** Vault's ValidateCommonName: cn_validations decides whether the CN is checked as email and/or hostname. */
export function validateCommonName(role: PkiRole, cn: string, entity: Entity | undefined): string | undefined {
  const validations = (role["cn_validations"] as string[] | undefined) ?? ["email", "hostname"];
  if (validations.includes("disabled")) return undefined;
  const isEmail = cn.includes("@");
  if (isEmail && validations.includes("email")) return validateNames(role, [cn], entity);
  if (!isEmail && validations.includes("hostname")) return validateNames(role, [cn], entity);
  return cn;
}

/** Vault's ValidateURISAN: true when some (templated) allowed_uri_sans pattern globs the URI. */
export function validateUriSan(role: PkiRole, uri: string, entity: Entity | undefined): boolean {
  for (const raw of role.allowed_uri_sans) {
    const pattern = patternFor(raw, !!role["allowed_uri_sans_template"], entity);
    if (pattern !== undefined && goGlob(pattern, uri)) return true;
  }
  return false;
}
