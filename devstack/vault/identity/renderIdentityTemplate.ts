import type { Entity } from "./IdentityStore.js";

/** Thrown when a template cannot be rendered; the messages are sdk/helper/identitytpl's. */
export class TemplateError extends Error {}

/** True when the string contains `{{`, i.e. is meant as a template. */
export function isTemplate(s: string): boolean {
  return s.includes("{{");
}

/**
 * Renders identity templates (`{{identity.entity.aliases.<accessor>.metadata.<key>}}`, `.id`, `.name`,
 * `{{identity.entity.id}}`, `.name`, `.metadata.<key>`) in ACL mode, per sdk/helper/identitytpl/templating.go.
 */
export function renderIdentityTemplate(tpl: string, entity: Entity | undefined): string {
  const parts = tpl.split("{{");
  let out = parts[0]!;
  if (out.includes("}}")) throw new TemplateError("unbalanced templating characters");
  for (const part of parts.slice(1)) {
    const end = part.indexOf("}}");
    if (end < 0 || part.indexOf("}}", end + 2) >= 0) throw new TemplateError("unbalanced templating characters");
    const value = resolve(part.slice(0, end).trim(), entity);
    if (value.includes("*") || value.includes("+")) {
      throw new TemplateError("globs and wildcards are not allowed in template result");
    }
    out += value + part.slice(end + 2);
  }
  return out;
}

function resolve(directive: string, entity: Entity | undefined): string {
  if (!directive.startsWith("identity.entity.")) throw new TemplateError("invalid or unsupported template directive");
  if (!entity) throw new TemplateError("string contains entity template directives but no entity was provided");
  const rest = directive.slice("identity.entity.".length);
  const nonEmpty = (v: string | undefined) => {
    if (!v) throw new TemplateError("no value could be found for one of the template directives");
    return v;
  };
  if (rest === "id") return entity.id;
  if (rest === "name") return nonEmpty(entity.name);
  if (rest.startsWith("metadata.")) return nonEmpty(entity.metadata[rest.slice("metadata.".length)]);
  const m = /^aliases\.([^.]+)\.(id|name|metadata\.(.+))$/.exec(rest);
  if (!m) throw new TemplateError("invalid or unsupported template directive");
  const alias = entity.aliases.find((a) => a.mountAccessor === m[1]);
  if (!alias) throw new TemplateError("alias not found");
  if (m[2] === "id") return alias.id;
  if (m[2] === "name") return nonEmpty(alias.name);
  return nonEmpty(alias.metadata[m[3]!]);
}
