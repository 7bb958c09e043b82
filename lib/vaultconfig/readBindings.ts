import { ConfigFieldReader } from "./ConfigFieldReader.js";
import { configPatterns as P, DEFAULT_KEY_BITS, KEY_BITS } from "./configPatterns.js";
import type { Binding, ServiceAccountRef } from "./VaultConfig.js";

type Obj = Record<string, unknown>;

function readServiceAccounts(r: ConfigFieldReader, o: Obj, path: string): ServiceAccountRef[] {
  const out: ServiceAccountRef[] = [];
  const seen = new Set<string>();
  r.array(o, "serviceAccounts", path, { required: true, minItems: 1 }).forEach((item, i) => {
    const p = ConfigFieldReader.join(ConfigFieldReader.join(path, "serviceAccounts"), i);
    const sa = r.asObject(item, p, ["namespace", "name"]);
    if (!sa) return;
    const namespace = r.string(sa, "namespace", p, { required: true, ...P.namespace });
    const name = r.string(sa, "name", p, { required: true, ...P.serviceAccount });
    if (!namespace || !name) return;
    if (seen.has(`${namespace}/${name}`)) r.problem(p, `duplicate service account ${namespace}/${name}`);
    seen.add(`${namespace}/${name}`);
    out.push({ namespace, name });
  });
  return out;
}

function readCertificate(
  r: ConfigFieldReader,
  o: Obj,
  path: string,
  name: string,
  pkiMaxSec: number,
): Binding["certificate"] {
  const p = ConfigFieldReader.join(path, "certificate");
  const c = r.object(o, "certificate", path, ["role", "keyType", "keyBits", "ttl", "maxTtl", "allowIssue"]) ?? {};
  const keyType = r.oneOf(c, "keyType", p, ["ec", "rsa", "any"] as const, { default: "ec" })!;
  const keyBits = r.int(c, "keyBits", p, 0, 8192, { default: keyType === "any" ? 0 : DEFAULT_KEY_BITS[keyType] })!;
  if (keyType !== "any" && !KEY_BITS[keyType].includes(keyBits)) {
    r.problem(
      ConfigFieldReader.join(p, "keyBits"),
      `must be one of ${KEY_BITS[keyType].join(", ")} for keyType ${keyType}`,
    );
  }
  const ttlSec = r.durationSec(c, "ttl", p, { default: 3600 })!;
  const maxTtlSec = r.durationSec(c, "maxTtl", p, { default: Math.max(86400, ttlSec) })!;
  if (ttlSec > maxTtlSec) r.problem(ConfigFieldReader.join(p, "ttl"), `must not exceed maxTtl (${maxTtlSec}s)`);
  if (maxTtlSec > pkiMaxSec)
    r.problem(ConfigFieldReader.join(p, "maxTtl"), `must not exceed pki.maxLeaseTtl (${pkiMaxSec}s)`);
  return {
    role: r.string(c, "role", p, { default: name, ...P.name })!,
    keyType,
    keyBits,
    ttlSec,
    maxTtlSec,
    allowIssue: r.bool(c, "allowIssue", p, false),
  };
}

function readVaultRole(r: ConfigFieldReader, o: Obj, path: string, name: string): Binding["vault"] {
  const p = ConfigFieldReader.join(path, "vault");
  const v = r.object(o, "vault", path, ["role", "policy", "audience", "tokenTtl", "tokenMaxTtl"]) ?? {};
  const tokenTtlSec = r.durationSec(v, "tokenTtl", p, { default: 900 })!;
  const tokenMaxTtlSec = r.durationSec(v, "tokenMaxTtl", p, { default: Math.max(3600, tokenTtlSec) })!;
  if (tokenTtlSec > tokenMaxTtlSec)
    r.problem(ConfigFieldReader.join(p, "tokenTtl"), `must not exceed tokenMaxTtl (${tokenMaxTtlSec}s)`);
  return {
    role: r.string(v, "role", p, { default: name, ...P.name })!,
    policy: r.string(v, "policy", p, { default: `iamra-${name}`, ...P.name })!,
    audience: r.string(v, "audience", p),
    tokenTtlSec,
    tokenMaxTtlSec,
  };
}

function checkUnique(r: ConfigFieldReader, bindings: Binding[], what: string, pick: (b: Binding) => string): void {
  const seen = new Map<string, number>();
  bindings.forEach((b, i) => {
    const key = pick(b);
    const first = seen.get(key);
    if (first !== undefined) r.problem(`bindings[${i}]`, `${what} "${key}" is already used by bindings[${first}]`);
    else seen.set(key, i);
  });
}

/**
 * Reads `bindings`: each maps service accounts to a PKI role, an ACL policy and a kubernetes auth role (names unique).
 */
export function readBindings(r: ConfigFieldReader, root: Obj, pkiMaxSec: number): Binding[] {
  const out: Binding[] = [];
  r.array(root, "bindings", "", { required: true, minItems: 1 }).forEach((item, i) => {
    const path = `bindings[${i}]`;
    const o = r.asObject(item, path, ["name", "serviceAccounts", "awsRoleArn", "certificate", "vault"]);
    if (!o) return;
    const name = r.string(o, "name", path, { required: true, ...P.name }) ?? `binding-${i}`;
    out.push({
      name,
      serviceAccounts: readServiceAccounts(r, o, path),
      awsRoleArn: r.string(o, "awsRoleArn", path, P.roleArn),
      certificate: readCertificate(r, o, path, name, pkiMaxSec),
      vault: readVaultRole(r, o, path, name),
    });
  });
  checkUnique(r, out, "name", (b) => b.name);
  checkUnique(r, out, "certificate.role", (b) => b.certificate.role);
  checkUnique(r, out, "vault.role", (b) => b.vault.role);
  checkUnique(r, out, "vault.policy", (b) => b.vault.policy);
  return out;
}
