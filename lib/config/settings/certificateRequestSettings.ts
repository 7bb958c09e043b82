import { setting } from "../setting.js";
import { enumParser, parseDurationMs, parseNonEmpty } from "../parsers.js";
import { KEY_KINDS } from "../../x509/generateKeyPair.js";

/** What certificate to request from Vault's PKI and how. */
export const certificateRequestSettings = [
  setting({
    key: "pkiMount",
    flag: "--pki-mount <path>",
    env: ["IAMRA_PKI_MOUNT", "VAULT_PKI_MOUNT"],
    default: "pki",
    description: "mount path of the PKI secrets engine (the intermediate CA)",
    parse: parseNonEmpty,
  }),
  setting({
    key: "pkiRole",
    flag: "--pki-role <name>",
    env: ["IAMRA_PKI_ROLE", "VAULT_PKI_ROLE"],
    description: "PKI role to sign with; default: the Vault role name",
    parse: parseNonEmpty,
  }),
  setting({
    key: "pkiMode",
    flag: "--pki-mode <mode>",
    env: ["IAMRA_PKI_MODE"],
    default: "sign" as const,
    description: "sign: key made here, only a CSR goes to Vault; issue: Vault generates the key (old sample's way)",
    parse: enumParser(["sign", "issue"] as const),
  }),
  setting({
    key: "keyType",
    flag: "--key-type <kind>",
    env: ["IAMRA_KEY_TYPE"],
    default: "ec-p256" as (typeof KEY_KINDS)[number],
    description: `key pair to generate: ${KEY_KINDS.join(", ")}`,
    parse: enumParser(KEY_KINDS),
  }),
  setting({
    key: "commonName",
    flag: "--common-name <cn>",
    env: ["IAMRA_COMMON_NAME"],
    description: "certificate CN; default <serviceaccount>.<namespace> from the service-account token",
    parse: parseNonEmpty,
  }),
  setting({
    key: "uriSan",
    flag: "--uri-san <uri>",
    env: ["IAMRA_URI_SAN"],
    description: "URI SAN to request; default spiffe://<trust-domain>/ns/<namespace>/sa/<serviceaccount>",
    parse: parseNonEmpty,
  }),
  setting({
    key: "trustDomain",
    flag: "--trust-domain <domain>",
    env: ["IAMRA_TRUST_DOMAIN"],
    default: "cluster.local",
    description: "trust domain of the default SPIFFE URI SAN",
    parse: parseNonEmpty,
  }),
  setting({
    key: "certTtlMs",
    flag: "--cert-ttl <duration>",
    env: ["IAMRA_CERT_TTL"],
    description: "requested certificate lifetime (Vault caps it at the role's max_ttl); default: the role's ttl",
    parse: parseDurationMs,
  }),
];
