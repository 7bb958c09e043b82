import { isIP } from "node:net";
import type { VaultRequest, VaultResponse } from "../http/vaultTypes.js";
import { VaultHttpError } from "../http/VaultHttpError.js";
import { formatGoDuration, formatRfc3339Nano } from "../fields/durations.js";
import type { PkiRole } from "./pkiRole.js";
import type { PkiIssuer, PkiState } from "./PkiState.js";
import { certPem, colonHex, randomSerialHex, type PkiKey } from "./pkiCrypto.js";
import { extKeyUsageOids, keyUsageFlags, signCertificate, subjectFrom, type SanSet } from "./signCertificate.js";
import { validateCommonName, validateNames, validateUriSan } from "./validateNames.js";

/** Names a CSR carries (subject CN and SANs). */
export interface CsrNames {
  cn: string;
  sans: SanSet;
}

/** Input of one leaf issuance: the role, the public key and, for sign/, the CSR's names. */
export interface LeafInput {
  role: PkiRole;
  roleName: string;
  spki: ArrayBuffer | Buffer;
  csr?: CsrNames;
  /** issue/ only: the generated key, returned in the response. */
  generatedKey?: PkiKey;
  warnings: string[];
}

function fail(message: string): never {
  throw VaultHttpError.badRequest(message);
}

/** Issues a leaf certificate per GenerateCreationBundle + GetCertificateNotAfter + the issue/sign response shape. */
export async function issueLeaf(req: VaultRequest, pki: PkiState, input: LeafInput): Promise<VaultResponse> {
  const { role, csr, warnings } = input;
  const f = req.fields;
  const entity = req.token ? req.state.identity.get(req.token.entityId) : undefined;
  const issuer = pki.issuerByRef(role.issuer_ref || "default");
  const issuerKey = issuer?.keyId ? pki.keys.get(issuer.keyId) : undefined;
  if (!issuer || !issuerKey) {
    throw VaultHttpError.internal(
      `could not fetch the CA certificate (was one set?): unable to find PKI issuer for reference: ${role.issuer_ref || "default"}`,
    );
  }
  let cn = csr && role["use_csr_common_name"] ? csr.cn : "";
  if (csr && role["use_csr_common_name"] && f["common_name"]) {
    warnings.push(`the common_name field was provided but the role is set with "use_csr_common_name" set to true`);
  }
  if (!cn) cn = String(f["common_name"] ?? "");
  if (!cn && role["require_cn"]) {
    fail(
      `the common_name field is required, or must be provided in a CSR with "use_csr_common_name" set to true, unless "require_cn" is set to false`,
    );
  }
  const viaCsr = !!csr && !!role["use_csr_sans"];
  if (viaCsr && f["alt_names"])
    warnings.push(`the alt_names field was provided but the role is set with "use_csr_sans" set to true`);
  const sans: SanSet = viaCsr
    ? { dns: [...csr!.sans.dns], email: [...csr!.sans.email], ip: [...csr!.sans.ip], uri: [...csr!.sans.uri] }
    : fromApi(f);
  if (cn && !f["exclude_cn_from_sans"]) {
    const list = cn.includes("@") ? sans.email : sans.dns;
    if (!list.includes(cn)) list.unshift(cn);
  }
  if (cn) {
    const bad = validateCommonName(role, cn, entity);
    if (bad !== undefined) fail(`common name ${bad} not allowed by this role`);
  }
  const badDns = validateNames(role, sans.dns, entity);
  if (badDns !== undefined) fail(`subject alternate name ${badDns} not allowed by this role`);
  const badEmail = validateNames(role, sans.email, entity);
  if (badEmail !== undefined) fail(`email address ${badEmail} not allowed by this role`);
  if (sans.ip.length) {
    if (!role["allow_ip_sans"]) {
      fail(
        `IP Subject Alternative Names are not allowed in this role, but was provided ${viaCsr ? "some via CSR" : sans.ip.join(",")}`,
      );
    }
    for (const ip of sans.ip) if (!isIP(ip)) fail(`the value "${ip}" is not a valid IP address`);
  }
  const source = viaCsr ? "CSR" : "the API";
  if (sans.uri.length) {
    if (role.allowed_uri_sans.length === 0)
      fail(`URI Subject Alternative Names are not allowed in this role, but were provided via ${source}`);
    for (const uri of sans.uri) {
      if (!URL.canParse(uri)) fail(`the provided URI Subject Alternative Name "${uri}" is not a valid URI`);
      if (!validateUriSan(role, uri, entity))
        fail(`URI Subject Alternative Names were provided via ${source} which are not valid for this role`);
    }
  }
  const now = req.state.clock.now();
  const notAfter = computeNotAfter(req, role, issuer, now, warnings);
  const notBefore = now - ((role["not_before_duration"] as number | undefined) ?? 30) * 1000;
  const serialHex = randomSerialHex();
  const cert = await signCertificate({
    serialHex,
    subject: subjectFrom(cn, { ...role, serial_number: f["serial_number"] }),
    spki: input.spki,
    signerKey: issuerKey,
    signerCert: issuer.cert,
    notBefore: new Date(Math.floor(notBefore / 1000) * 1000),
    notAfter: new Date(Math.floor(notAfter / 1000) * 1000),
    keyUsage: keyUsageFlags(role["key_usage"] as string[]),
    extKeyUsage: extKeyUsageOids(role),
    sans,
    urls: pki.urls,
  });
  const pem = certPem(cert);
  const serial = colonHex(cert.serialNumber);
  const chain = pki.chainOf(issuer);
  const data: Record<string, unknown> = {
    expiration: Math.floor(cert.notAfter.getTime() / 1000),
    not_before: Math.floor(cert.notBefore.getTime() / 1000),
    serial_number: serial,
    certificate: pem,
    issuing_ca: issuer.pem,
    ca_chain: chain
      .filter((i) => !(f["remove_roots_from_chain"] && i.cert.subject === i.cert.issuer))
      .map((i) => i.pem),
  };
  if (input.generatedKey) {
    data["private_key"] =
      f["private_key_format"] === "pkcs8" ? input.generatedKey.pkcs8Pem : input.generatedKey.privatePem;
    data["private_key_type"] = input.generatedKey.type;
  }
  req.state.log.info({ mount: req.mountPath, role: input.roleName, serial }, "pki certificate issued");
  const response: VaultResponse = { data, warnings };
  if (role["generate_lease"] && !role["no_store"]) {
    response.leaseId = `${req.mountPath}${input.generatedKey ? "issue" : "sign"}/${input.roleName}/${crypto.randomUUID()}`;
    response.leaseDuration = Math.max(0, Math.floor((cert.notAfter.getTime() - now) / 1000));
  }
  return response;
}

function fromApi(f: Record<string, unknown>): SanSet {
  const alt = (f["alt_names"] as string[] | undefined) ?? [];
  return {
    dns: alt.filter((n) => !n.includes("@")),
    email: alt.filter((n) => n.includes("@")),
    ip: (f["ip_sans"] as string[] | undefined) ?? [],
    uri: (f["uri_sans"] as string[] | undefined) ?? [],
  };
}

/** GetCertificateNotAfter + ApplyIssuerLeafNotAfterBehavior (issuing/issue_common.go). */
export function computeNotAfter(
  req: VaultRequest,
  role: Record<string, unknown>,
  issuer: PkiIssuer | undefined,
  now: number,
  warnings: string[],
): number {
  const f = req.fields;
  const notAfterText = String(f["not_after"] || role["not_after"] || "");
  if (f["ttl"] && notAfterText)
    fail("Either ttl or not_after should be provided. Both should not be provided in the same request.");
  const { defaultTtl, maxTtl: mountMax } = req.state.ttls(req.mount);
  let notAfter: number;
  if (notAfterText) {
    notAfter = Date.parse(notAfterText);
    if (Number.isNaN(notAfter))
      fail(`parsing time "${notAfterText}" as "2006-01-02T15:04:05Z07:00": cannot parse "${notAfterText}" as "2006"`);
  } else {
    let ttl = (f["ttl"] as number | undefined) || (role["ttl"] as number | undefined) || defaultTtl;
    const maxTtl = (role["max_ttl"] as number | undefined) || mountMax;
    if (ttl > maxTtl) {
      warnings.push(
        `TTL "${formatGoDuration(ttl)}" is longer than permitted maxTTL "${formatGoDuration(maxTtl)}", so maxTTL is being used`,
      );
      ttl = maxTtl;
    }
    notAfter = now + ttl * 1000;
  }
  if (issuer && notAfter > issuer.cert.notAfter.getTime()) {
    const caNotAfter = issuer.cert.notAfter.getTime();
    if (issuer.leafNotAfterBehavior === "err") {
      fail(
        `cannot satisfy request, as TTL would result in notAfter of ${formatRfc3339Nano(notAfter)} that is beyond the expiration of the CA certificate at ${formatRfc3339Nano(caNotAfter)}`,
      );
    }
    if (issuer.leafNotAfterBehavior === "truncate") notAfter = caNotAfter;
  }
  return notAfter;
}
