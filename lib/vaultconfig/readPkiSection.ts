import { ConfigFieldReader } from "./ConfigFieldReader.js";
import { configPatterns as P, DEFAULT_KEY_BITS, KEY_BITS } from "./configPatterns.js";
import type { KeyType, PkiConfig, SignedBy } from "./VaultConfig.js";

type Obj = Record<string, unknown>;
const HOUR = 3600;

/** Reads key type and bits of a CA (`keyType`, `keyBits`), checking that the size fits the type. */
export function readCaKey(r: ConfigFieldReader, o: Obj, path: string): { keyType: KeyType; keyBits: number } {
  const keyType = r.oneOf(o, "keyType", path, ["ec", "rsa"] as const, { default: "ec" })!;
  const keyBits = r.int(o, "keyBits", path, 0, 8192, { default: DEFAULT_KEY_BITS[keyType] })!;
  if (!KEY_BITS[keyType].includes(keyBits))
    r.problem(
      ConfigFieldReader.join(path, "keyBits"),
      `must be one of ${KEY_BITS[keyType].join(", ")} for keyType ${keyType}`,
    );
  return { keyType, keyBits };
}

function readSignedBy(r: ConfigFieldReader, parent: Obj, path: string, pkiMount: string): SignedBy {
  const p = ConfigFieldReader.join(path, "signedBy");
  const o = r.object(
    parent,
    "signedBy",
    path,
    ["type", "mount", "commonName", "ttl", "maxLeaseTtl", "keyType", "keyBits"],
    true,
  );
  if (!o) return { type: "external" };
  const type = r.oneOf(o, "type", p, ["external", "mount"] as const, { required: true });
  if (type !== "mount") {
    for (const k of ["mount", "commonName", "ttl", "maxLeaseTtl", "keyType", "keyBits"]) {
      if (o[k] !== undefined) r.problem(ConfigFieldReader.join(p, k), `only allowed with type: mount`);
    }
    return { type: "external" };
  }
  const mount = r.string(o, "mount", p, { required: true, ...P.mount }) ?? "pki-root";
  if (mount === pkiMount) r.problem(ConfigFieldReader.join(p, "mount"), `must differ from pki.mount (${pkiMount})`);
  const commonName = r.string(o, "commonName", p, { default: "iamra-vault development root CA" })!;
  const ttlSec = r.durationSec(o, "ttl", p, { default: 87600 * HOUR })!;
  const maxLeaseTtlSec = r.durationSec(o, "maxLeaseTtl", p, { default: Math.max(87600 * HOUR, ttlSec) })!;
  if (ttlSec > maxLeaseTtlSec)
    r.problem(ConfigFieldReader.join(p, "ttl"), `must not exceed maxLeaseTtl (${maxLeaseTtlSec}s)`);
  return { type: "mount", mount, commonName, ttlSec, maxLeaseTtlSec, ...readCaKey(r, o, p) };
}

/** Reads the `pki` section: intermediate mount, its CA, who signs it, and the AIA/CRL URLs. */
export function readPkiSection(r: ConfigFieldReader, root: Obj): PkiConfig {
  const path = "pki";
  const o = r.object(root, "pki", "", ["mount", "description", "maxLeaseTtl", "intermediate", "urls"], true) ?? {};
  const mount = r.string(o, "mount", path, { default: "pki", ...P.mount })!;
  const description = r.string(o, "description", path, {
    default: "iamra-vault: intermediate CA for Kubernetes workloads",
  })!;
  const maxLeaseTtlSec = r.durationSec(o, "maxLeaseTtl", path, { default: 8760 * HOUR })!;

  const ip = ConfigFieldReader.join(path, "intermediate");
  const io = r.object(o, "intermediate", path, ["commonName", "keyType", "keyBits", "ttl", "signedBy"], true) ?? {};
  const signedBy = readSignedBy(r, io, ip, mount);
  const ttlSec = r.durationSec(io, "ttl", ip, { default: 43800 * HOUR })!;
  if (signedBy.type === "mount" && ttlSec > signedBy.maxLeaseTtlSec) {
    r.problem(ConfigFieldReader.join(ip, "ttl"), `must not exceed signedBy.maxLeaseTtl (${signedBy.maxLeaseTtlSec}s)`);
  }
  const intermediate = {
    commonName: r.string(io, "commonName", ip, { default: "iamra-vault intermediate CA" })!,
    ...readCaKey(r, io, ip),
    ttlSec,
    signedBy,
  };

  let urls: PkiConfig["urls"];
  const uo = r.object(o, "urls", path, ["issuingCertificates", "crlDistributionPoints", "ocspServers"]);
  if (uo) {
    const up = ConfigFieldReader.join(path, "urls");
    urls = {
      issuingCertificates: r.stringList(uo, "issuingCertificates", up, P.url),
      crlDistributionPoints: r.stringList(uo, "crlDistributionPoints", up, P.url),
      ocspServers: r.stringList(uo, "ocspServers", up, P.url),
    };
  }
  return { mount, description, maxLeaseTtlSec, intermediate, urls };
}
