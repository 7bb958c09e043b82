import { randomUUID } from "node:crypto";
import type { Route, VaultRequest, VaultResponse } from "../http/vaultTypes.js";
import { VaultHttpError } from "../http/VaultHttpError.js";
import type { FieldSchema } from "../fields/coerceFields.js";
import type { PkiState } from "./PkiState.js";
import {
  certPem,
  colonHex,
  generatePkiKey,
  publicCryptoKey,
  randomSerialHex,
  signingAlgorithmFor,
  x509,
} from "./pkiCrypto.js";
import { signCertificate, subjectFrom, keyUsageFlags } from "./signCertificate.js";
import { computeNotAfter } from "./issueLeaf.js";
import { parseCsr } from "./parseCsr.js";

const AIA_WARNING =
  "This mount hasn't configured any authority information access (AIA) fields; this may make it harder for systems to find missing certificates in the chain or to validate revocation status of certificates. Consider updating /config/urls or the newly generated issuer with this information.";
const TRUNCATION_WARNING =
  "The expiration time for the signed certificate is after the CA's expiration time. If the new certificate is not treated as a root, validation paths with the certificate past the issuing CA's expiration time will fail.";

const SUBJECT_FIELDS: FieldSchema = {
  common_name: "string",
  alt_names: "commaList",
  ip_sans: "commaList",
  uri_sans: "commaList",
  other_sans: "commaList",
  ttl: "duration",
  not_after: "string",
  format: "string",
  private_key_format: "string",
  key_type: "string",
  key_bits: "int",
  max_path_length: "int",
  key_usage: "commaList",
  exclude_cn_from_sans: "bool",
  permitted_dns_domains: "commaList",
  ou: "commaList",
  organization: "commaList",
  country: "commaList",
  locality: "commaList",
  province: "commaList",
  street_address: "commaList",
  postal_code: "commaList",
  serial_number: "string",
  not_before_duration: "duration",
  issuer_name: "string",
  key_name: "string",
  signature_bits: "int",
  add_basic_constraints: "bool",
  use_csr_values: "bool",
  use_pss: "bool",
  skid: "string",
  enforce_leaf_not_after_behavior: "bool",
  csr: "string",
};

function sansFrom(f: Record<string, unknown>, cn: string) {
  const alt = (f["alt_names"] as string[] | undefined) ?? [];
  const dns = alt.filter((n) => !n.includes("@"));
  if (cn && !f["exclude_cn_from_sans"] && /^[A-Za-z0-9*.-]+$/.test(cn) && !dns.includes(cn)) dns.unshift(cn);
  return {
    dns,
    email: alt.filter((n) => n.includes("@")),
    ip: (f["ip_sans"] as string[] | undefined) ?? [],
    uri: (f["uri_sans"] as string[] | undefined) ?? [],
  };
}

function keyFields(
  req: VaultRequest,
  key: { privatePem: string; pkcs8Pem: string; type: string },
): Record<string, unknown> {
  if (req.params["type"] !== "exported") return {};
  return {
    private_key: req.fields["private_key_format"] === "pkcs8" ? key.pkcs8Pem : key.privatePem,
    private_key_type: key.type,
  };
}

function checkType(req: VaultRequest): void {
  const type = req.params["type"]!;
  if (type !== "internal" && type !== "exported")
    throw VaultHttpError.badRequest(
      `unsupported key type "${type}" in the devstack Vault stand-in (use internal or exported)`,
    );
}

async function generateRoot(pki: PkiState, req: VaultRequest): Promise<VaultResponse> {
  checkType(req);
  const f = req.fields;
  const cn = String(f["common_name"] ?? "");
  if (!cn) throw VaultHttpError.badRequest("the common_name field is required");
  const maxPath = (f["max_path_length"] as number | undefined) ?? -1;
  if (maxPath < -1)
    throw VaultHttpError.badRequest(
      `requested max_path_length ${maxPath} is invalid: must be a non-negative integer or -1 for no constraint`,
    );
  const key = await generatePkiKey(
    randomUUID(),
    String(f["key_type"] || "rsa"),
    (f["key_bits"] as number | undefined) ?? 0,
  );
  const warnings: string[] = [];
  const now = req.state.clock.now();
  const notAfter = computeNotAfter(req, {}, undefined, now, warnings);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialHex(),
    subject: new x509.Name(subjectFrom(cn, f)),
    issuer: new x509.Name(subjectFrom(cn, f)),
    notBefore: new Date(
      Math.floor((now - ((f["not_before_duration"] as number | undefined) ?? 30) * 1000) / 1000) * 1000,
    ),
    notAfter: new Date(Math.floor(notAfter / 1000) * 1000),
    publicKey: key.spki,
    signingKey: key.privateKey,
    signingAlgorithm: signingAlgorithmFor(key),
    extensions: await caExtensions(pki, key.spki, maxPath, sansFrom(f, cn)),
  });
  pki.keys.set(key.id, key);
  const { issuer } = pki.addIssuer(cert, key.id);
  if (f["issuer_name"]) issuer.name = String(f["issuer_name"]);
  if (!pki.urls.set) warnings.push(AIA_WARNING);
  if (maxPath === 0)
    warnings.push(
      "Max path length of the generated certificate is zero. This certificate cannot be used to issue intermediate CA certificates.",
    );
  const pem = certPem(cert);
  return {
    data: {
      expiration: Math.floor(cert.notAfter.getTime() / 1000),
      serial_number: colonHex(cert.serialNumber),
      certificate: pem,
      issuing_ca: pem,
      issuer_id: issuer.id,
      issuer_name: issuer.name,
      key_id: key.id,
      key_name: "",
      ...keyFields(req, key),
    },
    warnings,
  };
}

async function caExtensions(pki: PkiState, spki: Buffer, maxPath: number, sans: ReturnType<typeof sansFrom>) {
  const exts: x509.Extension[] = [
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
      true,
    ),
    new x509.BasicConstraintsExtension(true, maxPath >= 0 ? maxPath : undefined, true),
    await x509.SubjectKeyIdentifierExtension.create(spki),
  ];
  if (pki.urls.issuing_certificates.length)
    exts.push(new x509.AuthorityInfoAccessExtension({ caIssuers: pki.urls.issuing_certificates } as never));
  const names = [
    ...sans.dns.map((value) => ({ type: "dns" as const, value })),
    ...sans.uri.map((value) => ({ type: "url" as const, value })),
  ];
  if (names.length) exts.push(new x509.SubjectAlternativeNameExtension(names));
  return exts;
}

async function generateIntermediate(pki: PkiState, req: VaultRequest): Promise<VaultResponse> {
  checkType(req);
  const f = req.fields;
  const cn = String(f["common_name"] ?? "");
  if (!cn) throw VaultHttpError.badRequest("the common_name field is required");
  const key = await generatePkiKey(
    randomUUID(),
    String(f["key_type"] || "rsa"),
    (f["key_bits"] as number | undefined) ?? 0,
  );
  pki.keys.set(key.id, key);
  const sans = sansFrom(f, cn);
  const names = [
    ...sans.dns.map((value) => ({ type: "dns" as const, value })),
    ...sans.uri.map((value) => ({ type: "url" as const, value })),
  ];
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: new x509.Name(subjectFrom(cn, f)),
    keys: { privateKey: key.privateKey, publicKey: await publicCryptoKey(key) },
    signingAlgorithm: signingAlgorithmFor(key),
    extensions: names.length ? [new x509.SubjectAlternativeNameExtension(names)] : [],
  });
  const warnings = pki.urls.set
    ? []
    : [
        `${AIA_WARNING.replace(/ Consider.*$/, "")} Consider updating /config/urls or the newly generated issuer with this information. Since this certificate is an intermediate, it might be useful to regenerate this certificate after fixing this problem for the root mount.`,
      ];
  return { data: { csr: csr.toString("pem").trim(), key_id: key.id, ...keyFields(req, key) }, warnings };
}

async function signIntermediate(pki: PkiState, req: VaultRequest): Promise<VaultResponse> {
  const issuer = pki.issuerByRef(req.params["issuer"] ?? "default");
  const issuerKey = issuer?.keyId ? pki.keys.get(issuer.keyId) : undefined;
  if (!issuer || !issuerKey) throw VaultHttpError.badRequest("unable to fetch CA info: no default issuer configured");
  const parsed = parseCsr(String(req.fields["csr"] ?? ""));
  const f = req.fields;
  const cn = String(f["common_name"] || parsed.cn);
  const parentPath = issuer.cert.getExtension(x509.BasicConstraintsExtension)?.pathLength;
  let maxPath = (f["max_path_length"] as number | undefined) ?? -1;
  if (parentPath !== undefined) {
    if (maxPath >= parentPath) {
      throw VaultHttpError.badRequest(
        `requested max_path_length ${maxPath} is not allowed: the signing CA has a pathLenConstraint of ${parentPath}, so the intermediate's pathLenConstraint must be a non-negative value less than ${parentPath}`,
      );
    }
    if (maxPath < 0) maxPath = parentPath - 1;
  }
  const warnings: string[] = [];
  const now = req.state.clock.now();
  let notAfter = computeNotAfter(req, {}, undefined, now, warnings);
  if (notAfter > issuer.cert.notAfter.getTime()) {
    notAfter = issuer.cert.notAfter.getTime();
    warnings.push(TRUNCATION_WARNING);
  }
  const cert = await signCertificate({
    serialHex: randomSerialHex(),
    subject: subjectFrom(cn, f),
    spki: parsed.spki,
    signerKey: issuerKey,
    signerCert: issuer.cert,
    notBefore: new Date(
      Math.floor((now - ((f["not_before_duration"] as number | undefined) ?? 30) * 1000) / 1000) * 1000,
    ),
    notAfter: new Date(Math.floor(notAfter / 1000) * 1000),
    ca: { pathLen: maxPath >= 0 ? maxPath : undefined },
    keyUsage: keyUsageFlags(["CertSign", "CRLSign", "DigitalSignature"]),
    extKeyUsage: [],
    sans: sansFrom(f, cn),
    urls: pki.urls,
  });
  if (!pki.urls.set) warnings.push(AIA_WARNING);
  if (maxPath === 0)
    warnings.push(
      "Max path length of the signed certificate is zero. This CA certificate cannot be used to issue intermediate CA certificates.",
    );
  const pem = certPem(cert);
  const chain = [pem, ...pki.chainOf(issuer).map((i) => i.pem)];
  const certificate = f["format"] === "pem_bundle" ? [pem, issuer.pem].join("\n") : pem;
  return {
    data: {
      expiration: Math.floor(cert.notAfter.getTime() / 1000),
      serial_number: colonHex(cert.serialNumber),
      certificate,
      issuing_ca: issuer.pem,
      ca_chain: chain,
    },
    warnings,
  };
}

/** CA setup paths: root and intermediate generation, sign-intermediate. */
export function pkiCaRoutes(pki: PkiState): Route[] {
  return [
    {
      pattern: /^(?:root\/generate|issuers\/generate\/root)\/(?<type>[^/]+)$/,
      fields: SUBJECT_FIELDS,
      ops: { update: (r) => generateRoot(pki, r) },
    },
    {
      pattern: /^(?:intermediate\/generate|issuers\/generate\/intermediate)\/(?<type>[^/]+)$/,
      fields: SUBJECT_FIELDS,
      ops: { update: (r) => generateIntermediate(pki, r) },
    },
    {
      pattern: /^(?:root|issuer\/(?<issuer>[^/]+))\/sign-intermediate$/,
      fields: SUBJECT_FIELDS,
      ops: { update: (r) => signIntermediate(pki, r) },
    },
  ];
}
