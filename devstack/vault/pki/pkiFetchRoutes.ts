import type { Route, VaultRequest, VaultResponse } from "../http/vaultTypes.js";
import { VaultHttpError } from "../http/VaultHttpError.js";
import { formatRfc3339Nano } from "../fields/durations.js";
import type { PkiState } from "./PkiState.js";
import { x509 } from "./pkiCrypto.js";

function chainPem(pki: PkiState): string {
  const issuer = pki.defaultIssuer();
  return issuer ? pki.chainOf(issuer).map((i) => i.pem).join("\n") : "";
}

function certRecord(pki: PkiState, req: VaultRequest): VaultResponse {
  const serial = req.params["serial"]!.toLowerCase().replace(/-/g, ":");
  if (serial === "ca_chain") {
    const chain = chainPem(pki);
    return { data: { certificate: chain, ca_chain: chain, revocation_time: 0, revocation_time_rfc3339: "" } };
  }
  if (serial === "ca") {
    const issuer = pki.defaultIssuer();
    if (!issuer) throw VaultHttpError.notFound();
    return { data: { certificate: issuer.pem, revocation_time: 0, revocation_time_rfc3339: "", issuer_id: issuer.id } };
  }
  const stored = pki.certs.get(serial);
  if (!stored) throw VaultHttpError.notFound();
  const revokedAt = stored.revokedAt;
  return {
    data: {
      certificate: stored.pem,
      revocation_time: revokedAt ? Math.floor(revokedAt / 1000) : 0,
      revocation_time_rfc3339: revokedAt ? formatRfc3339Nano(revokedAt) : "",
      issuer_id: stored.issuerId,
    },
  };
}

function rawCa(pki: PkiState, kind: "der" | "pem" | "chain"): VaultResponse {
  const issuer = pki.defaultIssuer();
  if (kind === "chain") return { raw: { contentType: "application/pkix-cert", body: chainPem(pki) } };
  if (!issuer) return { raw: { contentType: "application/pkix-cert", body: "" } };
  if (kind === "pem") return { raw: { contentType: "application/pem-certificate-chain", body: issuer.pem } };
  return { raw: { contentType: "application/pkix-cert", body: Buffer.from(issuer.cert.rawData) } };
}

function revoke(pki: PkiState, req: VaultRequest): VaultResponse {
  const serialField = String(req.fields["serial_number"] ?? "");
  const certField = String(req.fields["certificate"] ?? "");
  if (serialField && certField) throw VaultHttpError.badRequest("Must provide either the certificate or the serial to revoke; not both.");
  if (!serialField && !certField) throw VaultHttpError.badRequest("The serial number or certificate to revoke must be provided.");
  const serial = serialField ? serialField.toLowerCase().replace(/-/g, ":") : colon(new x509.X509Certificate(certField).serialNumber);
  const stored = pki.certs.get(serial);
  if (!stored) throw VaultHttpError.badRequest(`certificate with serial ${serial} not found.`);
  stored.revokedAt ??= req.state.clock.now();
  return { data: { revocation_time: Math.floor(stored.revokedAt / 1000), revocation_time_rfc3339: formatRfc3339Nano(stored.revokedAt), state: "revoked" } };
}

function colon(hex: string): string {
  return (hex.length % 2 ? `0${hex}` : hex).toLowerCase().match(/../g)!.join(":");
}

/** Unauthenticated CA fetches (`ca`, `ca/pem`, `ca_chain`, `cert/*`, `issuer/:ref/json`) and `revoke`, per path_fetch.go. */
export function pkiFetchRoutes(pki: PkiState): Route[] {
  return [
    { pattern: /^ca$/, ops: { read: () => rawCa(pki, "der") }, unauthenticated: ["read"] },
    { pattern: /^ca\/pem$/, ops: { read: () => rawCa(pki, "pem") }, unauthenticated: ["read"] },
    { pattern: /^(?:ca_chain|cert\/ca_chain\/raw)$/, ops: { read: () => rawCa(pki, "chain") }, unauthenticated: ["read"] },
    { pattern: /^cert\/(?<serial>[^/]+)$/, ops: { read: (r) => certRecord(pki, r) }, unauthenticated: ["read"] },
    { pattern: /^certs$/, ops: { list: () => ({ data: { keys: [...pki.certs.keys()].map((s) => s.replace(/:/g, "-")) } }) } },
    {
      pattern: /^issuer\/(?<ref>[^/]+)(?:\/json)?$/,
      unauthenticated: ["read"],
      ops: {
        read: (r) => {
          const issuer = pki.issuerByRef(r.params["ref"]!);
          if (!issuer) throw VaultHttpError.notFound();
          const ca_chain = pki.chainOf(issuer).map((i) => i.pem);
          return { data: { issuer_id: issuer.id, issuer_name: issuer.name, certificate: issuer.pem, ca_chain, key_id: issuer.keyId ?? "", leaf_not_after_behavior: issuer.leafNotAfterBehavior, revocation_time: 0 } };
        },
      },
    },
    { pattern: /^revoke$/, fields: { serial_number: "string", certificate: "string" }, ops: { update: (r) => revoke(pki, r) } },
  ];
}
