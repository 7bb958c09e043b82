import type { Route, VaultRequest, VaultResponse } from "../http/vaultTypes.js";
import { VaultHttpError } from "../http/VaultHttpError.js";
import type { PkiState } from "./PkiState.js";
import { buildRole, ROLE_FIELDS, roleWarnings } from "./pkiRole.js";

function write(pki: PkiState, req: VaultRequest, patch: boolean): VaultResponse {
  const name = req.params["name"]!;
  const existing = pki.roles.get(name);
  if (patch && !existing) throw VaultHttpError.notFound();
  const role = buildRole(req.fields, patch ? existing : undefined);
  const warnings = roleWarnings(role, pki.issuerByRef(role.issuer_ref) !== undefined);
  pki.roles.set(name, role);
  return { data: { ...role }, warnings };
}

/** `roles/:name` (GET/POST/PATCH/DELETE) and `roles` (LIST), per path_roles.go. */
export function pkiRoleRoutes(pki: PkiState): Route[] {
  return [
    {
      pattern: /^roles$/,
      ops: {
        list: () => {
          if (pki.roles.size === 0) throw VaultHttpError.notFound();
          return { data: { keys: [...pki.roles.keys()].sort() } };
        },
      },
    },
    {
      pattern: /^roles\/(?<name>[^/]+)$/,
      fields: ROLE_FIELDS,
      exists: (r) => pki.roles.has(r.params["name"]!),
      ops: {
        read: (r) => {
          const role = pki.roles.get(r.params["name"]!);
          if (!role) throw VaultHttpError.notFound();
          return { data: { ...role } };
        },
        update: (r) => write(pki, r, false),
        patch: (r) => write(pki, r, true),
        delete: (r) => {
          pki.roles.delete(r.params["name"]!);
          return null;
        },
      },
    },
  ];
}
