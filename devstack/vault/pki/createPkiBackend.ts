import type { Backend } from "../http/vaultTypes.js";
import { PkiState } from "./PkiState.js";
import { pkiCaRoutes } from "./pkiCaRoutes.js";
import { pkiConfigRoutes } from "./pkiConfigRoutes.js";
import { pkiRoleRoutes } from "./pkiRoleRoutes.js";
import { pkiIssueRoutes } from "./pkiIssueRoutes.js";
import { pkiFetchRoutes } from "./pkiFetchRoutes.js";

/** A fresh PKI secrets engine for one mount (builtin/logical/pki, the subset in devstack/vault/README.md). */
export function createPkiBackend(): Backend {
  const pki = new PkiState();
  return {
    type: "pki",
    routes: [
      ...pkiCaRoutes(pki),
      ...pkiConfigRoutes(pki),
      ...pkiRoleRoutes(pki),
      ...pkiIssueRoutes(pki),
      ...pkiFetchRoutes(pki),
    ],
  };
}
