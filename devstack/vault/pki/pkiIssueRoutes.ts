import { randomUUID } from "node:crypto";
import type { Route, VaultRequest, VaultResponse } from "../http/vaultTypes.js";
import { VaultHttpError } from "../http/VaultHttpError.js";
import type { FieldSchema } from "../fields/coerceFields.js";
import type { PkiState } from "./PkiState.js";
import { generatePkiKey, publicKeyDetails } from "./pkiCrypto.js";
import { issueLeaf } from "./issueLeaf.js";
import { parseCsr } from "./parseCsr.js";

const ISSUE_FIELDS: FieldSchema = {
  common_name: "string",
  alt_names: "commaList",
  ip_sans: "commaList",
  uri_sans: "commaList",
  other_sans: "commaList",
  ttl: "duration",
  format: "string",
  private_key_format: "string",
  exclude_cn_from_sans: "bool",
  not_after: "string",
  remove_roots_from_chain: "bool",
  user_ids: "commaList",
  serial_number: "string",
  issuer_ref: "string",
};
const SIGN_FIELDS: FieldSchema = { ...ISSUE_FIELDS, csr: "string" };

function roleOf(pki: PkiState, req: VaultRequest) {
  const name = req.params["role"]!;
  const role = pki.roles.get(name);
  if (!role) throw VaultHttpError.badRequest(`unknown role: ${name}`);
  const issuerRef = req.params["issuer"];
  return { name, role: issuerRef ? { ...role, issuer_ref: issuerRef } : role };
}

async function issue(pki: PkiState, req: VaultRequest): Promise<VaultResponse> {
  const { name, role } = roleOf(pki, req);
  if (role.key_type === "any")
    throw VaultHttpError.badRequest(`role key type "any" not allowed for issuing certificates, only signing`);
  if (role.key_type === "ed25519")
    throw VaultHttpError.badRequest("ed25519 keys are not supported by the devstack Vault stand-in");
  const key = await generatePkiKey(randomUUID(), role.key_type, role.key_bits);
  return issueLeaf(req, pki, { role, roleName: name, spki: key.spki, generatedKey: key, warnings: [] });
}

async function sign(pki: PkiState, req: VaultRequest): Promise<VaultResponse> {
  const { name, role } = roleOf(pki, req);
  const parsed = parseCsr(String(req.fields["csr"] ?? ""));
  const { type, bits } = publicKeyDetails(parsed.spki);
  if (role.key_type !== "any") {
    if (type !== role.key_type) throw VaultHttpError.badRequest(`role requires keys of type ${role.key_type}`);
    if (bits < role.key_bits) {
      throw VaultHttpError.badRequest(
        `role requires a minimum of a ${role.key_bits}-bit key, but CSR's key is ${bits} bits`,
      );
    }
  }
  if (type === "rsa" && bits < 2048) {
    throw VaultHttpError.badRequest(`Vault requires a minimum of a 2048-bit key, but CSR's key is ${bits} bits`);
  }
  const warnings: string[] = [];
  if (parsed.hasBasicConstraints)
    warnings.push("specified CSR contained a Basic Constraints extension that was ignored during issuance");
  return issueLeaf(req, pki, {
    role,
    roleName: name,
    spki: parsed.spki,
    csr: { cn: parsed.cn, sans: parsed.sans },
    warnings,
  });
}

/** `issue/:role` and `sign/:role` (also under `issuer/:ref/`), per path_issue_sign.go. */
export function pkiIssueRoutes(pki: PkiState): Route[] {
  return [
    {
      pattern: /^(?:issuer\/(?<issuer>[^/]+)\/)?issue\/(?<role>[^/]+)$/,
      fields: ISSUE_FIELDS,
      ops: { update: (r) => issue(pki, r) },
    },
    {
      pattern: /^(?:issuer\/(?<issuer>[^/]+)\/)?sign\/(?<role>[^/]+)$/,
      fields: SIGN_FIELDS,
      ops: { update: (r) => sign(pki, r) },
    },
  ];
}
