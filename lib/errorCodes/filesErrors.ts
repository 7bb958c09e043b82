import { RUNTIME, type ErrorCodeEntry } from "./errorCodeEntry.js";

/** Error codes of the group "files" (see ERROR_CODE_GROUPS). */
export const FILES_ERRORS = {
  FILE_UNREADABLE: {
    group: "files",
    exitCodes: RUNTIME,
    meaning: "a certificate, key, password or token file cannot be read (missing, permissions)",
    hint: "check the path and that this user may read it",
  },
  SA_TOKEN_UNREADABLE: {
    group: "files",
    exitCodes: RUNTIME,
    meaning: "no service-account token at `--sa-token-file`",
    hint: "mount a projected service-account token at that path",
  },
  SA_TOKEN_INVALID: {
    group: "files",
    exitCodes: RUNTIME,
    meaning: "the service-account token is empty or not a service-account JWT",
    hint: "mount a projected service-account token",
  },
  PEM_BLOCK_MISSING: {
    group: "files",
    exitCodes: RUNTIME,
    meaning: "a file that should hold PEM blocks holds none",
    hint: "give a PEM file (-----BEGIN ...-----)",
  },
  CERTIFICATE_MISSING: {
    group: "files",
    exitCodes: RUNTIME,
    meaning: "the certificate file holds no certificate",
    hint: "give the PEM certificate the CA issued",
  },
  CERTIFICATE_INVALID: {
    group: "files",
    exitCodes: RUNTIME,
    meaning: "a certificate cannot be parsed, or Vault issued one that does not match the request",
    hint: "give a valid X.509 certificate; for Vault, check the PKI role",
  },
  CERTIFICATE_NOT_YET_VALID: {
    group: "files",
    exitCodes: RUNTIME,
    meaning: "the certificate's notBefore is in the future; checked locally before anything is sent",
    hint: "check the clocks of this machine and of the issuing CA",
  },
  CERTIFICATE_EXPIRED: {
    group: "files",
    exitCodes: RUNTIME,
    meaning:
      "the certificate expired; checked locally before anything is sent (`credential-process`, Vault Agent " + "mode)",
    hint: "issue a new certificate and check this machine's clock",
  },
  CHAIN_INVALID: {
    group: "files",
    exitCodes: RUNTIME,
    meaning: "a certificate of the chain file cannot be parsed",
    hint: "give the intermediate CA certificates as PEM",
  },
  CHAIN_BROKEN: {
    group: "files",
    exitCodes: RUNTIME,
    meaning: "a certificate is not signed by the next one in the chain; checked locally before anything is sent",
    hint: "order the chain leaf first, then its issuer, and include every intermediate",
  },
  CHAIN_CERT_NOT_CA: {
    group: "files",
    exitCodes: RUNTIME,
    meaning: "a certificate in the chain signs another but is not a CA certificate",
    hint: "re-issue the intermediate with basicConstraints CA:TRUE",
  },
  CHAIN_CERT_NOT_YET_VALID: {
    group: "files",
    exitCodes: RUNTIME,
    meaning: "a chain certificate's notBefore is in the future",
    hint: "check the clocks of this machine and of the issuing CA",
  },
  CHAIN_CERT_EXPIRED: {
    group: "files",
    exitCodes: RUNTIME,
    meaning: "a CA certificate of the chain expired",
    hint: "renew the CA certificate and ship the new chain",
  },
  KEY_CERT_MISMATCH: {
    group: "files",
    exitCodes: RUNTIME,
    meaning: "the private key does not belong to the certificate; checked locally before anything is sent",
    hint: "give the key the certificate was issued for",
  },
  CERT_KEY_NOT_OURS: {
    group: "files",
    exitCodes: RUNTIME,
    meaning: "Vault answered with a certificate for another public key than the one in the CSR",
    hint: "check that the Vault address really is Vault and the PKI role signs CSRs unchanged",
  },
  CSR_INVALID: {
    group: "files",
    exitCodes: RUNTIME,
    meaning: "the certificate signing request cannot be built from the given names",
    hint: "check the common name and the SAN settings",
  },
  PRIVATE_KEY_INVALID: {
    group: "files",
    exitCodes: RUNTIME,
    meaning: "the private key file holds no parseable key",
    hint: "give a PEM (PKCS#8, PKCS#1 or SEC1) private key",
  },
  PRIVATE_KEY_UNSUPPORTED: {
    group: "files",
    exitCodes: RUNTIME,
    meaning: "the key type or curve is not one Roles Anywhere signs with",
    hint: "use RSA (2048 bits or more) or EC P-256/P-384",
  },
  PRIVATE_KEY_PASSWORD_REQUIRED: {
    group: "files",
    exitCodes: RUNTIME,
    meaning: "the private key is encrypted and no password was given",
    hint: "give the password through its environment variable or file",
  },
  PRIVATE_KEY_DECRYPT_FAILED: {
    group: "files",
    exitCodes: RUNTIME,
    meaning: "the private key could not be decrypted: the password is wrong or the encryption is not supported",
    hint: "check the password",
  },
  PKCS12_INVALID: {
    group: "files",
    exitCodes: RUNTIME,
    meaning: "the `.p12`/`.pfx` file is not a readable PKCS#12 archive",
    hint: "re-export it with openssl pkcs12 -export",
  },
  PKCS12_MAC_INVALID: {
    group: "files",
    exitCodes: RUNTIME,
    meaning: "the PKCS#12 integrity check failed: the password is wrong or the file is damaged",
    hint: "check the password",
  },
  PKCS12_DECRYPT_FAILED: {
    group: "files",
    exitCodes: RUNTIME,
    meaning: "a PKCS#12 bag could not be decrypted",
    hint: "check the password",
  },
  PKCS12_UNSUPPORTED_ALGORITHM: {
    group: "files",
    exitCodes: RUNTIME,
    meaning: "the PKCS#12 file uses an encryption or MAC algorithm that is not supported",
    hint: "re-export with openssl pkcs12 -export -keypbe AES-256-CBC -certpbe AES-256-CBC -macalg sha256",
  },
  PKCS12_NO_MATCHING_CERTIFICATE: {
    group: "files",
    exitCodes: RUNTIME,
    meaning: "the PKCS#12 file holds no certificate for its private key",
    hint: "export the certificate together with its key",
  },
} as const satisfies Record<string, ErrorCodeEntry>;
