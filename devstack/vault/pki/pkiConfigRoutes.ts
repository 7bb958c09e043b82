import type { Route, VaultRequest, VaultResponse } from "../http/vaultTypes.js";
import { VaultHttpError } from "../http/VaultHttpError.js";
import type { PkiState } from "./PkiState.js";
import { x509 } from "./pkiCrypto.js";

function setSigned(pki: PkiState, req: VaultRequest): VaultResponse {
  const bundle = String(req.fields["certificate"] || req.fields["pem_bundle"] || "");
  const pems = bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (pems.length === 0) throw VaultHttpError.badRequest("no data found in PEM block");
  const imported: string[] = [];
  const existing: string[] = [];
  const mapping: Record<string, string> = {};
  for (const pem of pems) {
    const cert = new x509.X509Certificate(pem);
    if (!cert.getExtension(x509.BasicConstraintsExtension)?.ca) {
      throw VaultHttpError.badRequest("Refusing to import non-CA certificate");
    }
    const key = pki.keyForSpki(cert.publicKey.rawData);
    const { issuer, existed } = pki.addIssuer(cert, key?.id);
    (existed ? existing : imported).push(issuer.id);
    mapping[issuer.id] = issuer.keyId ?? "";
  }
  return {
    data: { imported_issuers: imported, imported_keys: [], mapping, existing_issuers: existing, existing_keys: [] },
  };
}

function urlsView(pki: PkiState): Record<string, unknown> {
  const { set: _set, ...rest } = pki.urls;
  return { ...rest, delta_crl_distribution_points: [] };
}

function writeUrls(pki: PkiState, req: VaultRequest): VaultResponse {
  const next = { ...pki.urls };
  for (const key of ["issuing_certificates", "crl_distribution_points", "ocsp_servers"] as const) {
    const list = req.fields[key] as string[] | undefined;
    if (list === undefined) continue;
    const bad = list.find((u) => !URL.canParse(u));
    if (bad)
      throw VaultHttpError.badRequest(
        `invalid URL found in Authority Information Access (AIA) parameter ${key}: ${bad}`,
      );
    next[key] = list;
  }
  if (req.fields["enable_templating"] !== undefined)
    next.enable_templating = req.fields["enable_templating"] as boolean;
  pki.urls = { ...next, set: true };
  return { data: urlsView(pki) };
}

/**
 * `intermediate/set-signed` (issuer import, idempotent) and `config/urls`, per path_intermediate.go and
 * path_config_urls.go.
 */
export function pkiConfigRoutes(pki: PkiState): Route[] {
  return [
    {
      pattern: /^(?:intermediate\/set-signed|issuers\/import\/(?:cert|bundle))$/,
      fields: { certificate: "string", pem_bundle: "string" },
      ops: { update: (r) => setSigned(pki, r) },
    },
    {
      pattern: /^config\/urls$/,
      fields: {
        issuing_certificates: "commaList",
        crl_distribution_points: "commaList",
        ocsp_servers: "commaList",
        enable_templating: "bool",
        delta_crl_distribution_points: "commaList",
      },
      ops: { read: () => ({ data: urlsView(pki) }), update: (r) => writeUrls(pki, r) },
    },
  ];
}
