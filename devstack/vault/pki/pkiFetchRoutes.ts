import type { Route, VaultRequest, VaultResponse } from "../http/vaultTypes.js";
import { VaultHttpError } from "../http/VaultHttpError.js";
import type { PkiState } from "./PkiState.js";

function caRecord(pki: PkiState, req: VaultRequest): VaultResponse {
  const issuer = pki.defaultIssuer();
  if (req.params["which"] === "ca_chain") {
    const chain = issuer
      ? pki
          .chainOf(issuer)
          .map((i) => i.pem)
          .join("\n")
      : "";
    return { data: { certificate: chain, ca_chain: chain, revocation_time: 0, revocation_time_rfc3339: "" } };
  }
  if (!issuer) throw VaultHttpError.notFound();
  return { data: { certificate: issuer.pem, revocation_time: 0, revocation_time_rfc3339: "", issuer_id: issuer.id } };
}

/** The unauthenticated CA reads the product makes: `cert/ca` and `cert/ca_chain` (JSON, per path_fetch.go). */
export function pkiFetchRoutes(pki: PkiState): Route[] {
  const read = (r: VaultRequest) => caRecord(pki, r);
  return [{ pattern: /^cert\/(?<which>ca|ca_chain)$/, ops: { read }, unauthenticated: ["read"] }];
}
