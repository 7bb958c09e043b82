import type { FieldSchema } from "../fields/coerceFields.js";
import { VaultHttpError } from "../http/VaultHttpError.js";
import { resolveKeyBits } from "./pkiCrypto.js";

/** A PKI role, stored and read back with exactly the keys of Vault's ToResponseData (issuing/roles.go). */
export type PkiRole = Record<string, unknown> & {
  ttl: number;
  max_ttl: number;
  allowed_domains: string[];
  allowed_uri_sans: string[];
  key_type: string;
  key_bits: number;
  issuer_ref: string;
};

/** Fields `roles/:name` accepts. */
export const ROLE_FIELDS: FieldSchema = {
  ttl: "duration",
  max_ttl: "duration",
  allow_localhost: "bool",
  allowed_domains: "commaList",
  allowed_domains_template: "bool",
  allow_bare_domains: "bool",
  allow_token_displayname: "bool",
  allow_subdomains: "bool",
  allow_glob_domains: "bool",
  allow_wildcard_certificates: "bool",
  allow_any_name: "bool",
  allowed_uri_sans_template: "bool",
  enforce_hostnames: "bool",
  allow_ip_sans: "bool",
  server_flag: "bool",
  client_flag: "bool",
  code_signing_flag: "bool",
  email_protection_flag: "bool",
  use_csr_common_name: "bool",
  use_csr_sans: "bool",
  key_type: "string",
  key_bits: "int",
  signature_bits: "int",
  use_pss: "bool",
  key_usage: "commaList",
  ext_key_usage: "commaList",
  ext_key_usage_oids: "commaList",
  ou: "commaList",
  organization: "commaList",
  country: "commaList",
  locality: "commaList",
  province: "commaList",
  street_address: "commaList",
  postal_code: "commaList",
  no_store: "bool",
  no_store_metadata: "bool",
  allowed_other_sans: "commaList",
  allowed_serial_numbers: "commaList",
  allowed_user_ids: "commaList",
  allowed_uri_sans: "commaList",
  require_cn: "bool",
  cn_validations: "commaList",
  policy_identifiers: "commaList",
  basic_constraints_valid_for_non_ca: "bool",
  not_before_duration: "duration",
  not_after: "string",
  issuer_ref: "string",
  generate_lease: "bool",
};

/** Role defaults from the PKI API docs (§Create/Update role). */
function defaults(): PkiRole {
  return {
    ttl: 0,
    max_ttl: 0,
    allow_localhost: true,
    allowed_domains: [],
    allowed_domains_template: false,
    allow_bare_domains: false,
    allow_token_displayname: false,
    allow_subdomains: false,
    allow_glob_domains: false,
    allow_wildcard_certificates: true,
    allow_any_name: false,
    allowed_uri_sans_template: false,
    enforce_hostnames: true,
    allow_ip_sans: true,
    server_flag: true,
    client_flag: true,
    code_signing_flag: false,
    email_protection_flag: false,
    use_csr_common_name: true,
    use_csr_sans: true,
    key_type: "rsa",
    key_bits: 0,
    signature_bits: 0,
    use_pss: false,
    key_usage: ["DigitalSignature", "KeyAgreement", "KeyEncipherment"],
    ext_key_usage: [],
    ext_key_usage_oids: [],
    ou: [],
    organization: [],
    country: [],
    locality: [],
    province: [],
    street_address: [],
    postal_code: [],
    no_store: false,
    no_store_metadata: false,
    allowed_other_sans: [],
    allowed_serial_numbers: [],
    allowed_user_ids: [],
    allowed_uri_sans: [],
    require_cn: true,
    cn_validations: ["email", "hostname"],
    policy_identifiers: [],
    basic_constraints_valid_for_non_ca: false,
    not_before_duration: 30,
    not_after: "",
    issuer_ref: "default",
    generate_lease: false,
  };
}

const RSA_BITS = [2048, 3072, 4096, 8192];
const EC_BITS = [224, 256, 384, 521];

/**
 * Builds a role from request fields over a base (defaults for POST, the stored role for PATCH), validating like Vault.
 */
export function buildRole(fields: Record<string, unknown>, base?: PkiRole): PkiRole {
  const role = { ...(base ?? defaults()) } as PkiRole;
  for (const key of Object.keys(ROLE_FIELDS)) if (fields[key] !== undefined) role[key] = fields[key];
  if (role.ttl && role.max_ttl && role.ttl > role.max_ttl)
    throw VaultHttpError.badRequest(`"ttl" value must be less than "max_ttl" value`);
  const type = role.key_type;
  if (!["rsa", "ec", "ed25519", "any"].includes(type)) throw VaultHttpError.badRequest(`unknown key type ${type}`);
  if (type === "rsa" && role.key_bits && !RSA_BITS.includes(role.key_bits)) {
    throw VaultHttpError.badRequest(`unsupported bit length for RSA key: ${role.key_bits}`);
  }
  if (type === "ec" && role.key_bits && !EC_BITS.includes(role.key_bits)) {
    throw VaultHttpError.badRequest(`unsupported bit length for EC key: ${role.key_bits}`);
  }
  role.key_bits = type === "rsa" || type === "ec" ? resolveKeyBits(type, role.key_bits) : 0;
  if (type === "rsa" && !role["signature_bits"]) role["signature_bits"] = 256;
  for (const oid of role["ext_key_usage_oids"] as string[]) {
    if (!/^\d+(\.\d+)+$/.test(oid))
      throw VaultHttpError.badRequest(`"${oid}" could not be parsed as a valid oid for an extended key usage`);
  }
  return role;
}

/** Warnings a role write adds (path_roles.go validateRole). */
export function roleWarnings(role: PkiRole, issuerExists: boolean): string[] {
  const warnings: string[] = [];
  if (!issuerExists) {
    warnings.push(
      role.issuer_ref === "default"
        ? "Issuing Certificate was set to default, but no default issuing certificate (configurable at /config/issuers) is currently set"
        : `Issuing Certificate was set to ${role.issuer_ref} but no issuing certificate currently has that name`,
    );
  }
  if (role["no_store"] && role["generate_lease"]) {
    warnings.push(
      "mutually exclusive values no_store=true and generate_lease=true were both specified; no_store=true takes priority",
    );
    role["generate_lease"] = false;
  } else if (role["generate_lease"]) {
    warnings.push(
      "it is encouraged to disable generate_lease and rely on PKI's native capabilities when possible; this option can cause instance-wide issues with large numbers of issued certificates",
    );
  }
  return warnings;
}
