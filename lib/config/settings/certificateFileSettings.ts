import { setting } from "../setting.js";
import { parseNonEmpty } from "../parsers.js";

/** Certificate, key and chain files, named as the official helper names them. */
export const certificateFileSettings = [
  setting({
    key: "certificate",
    flag: "--certificate <file>",
    env: ["IAMRA_CERTIFICATE"],
    description:
      "PEM file with the leaf certificate (the first CERTIFICATE block is used), or a PKCS#12 (.p12/.pfx) file holding key and chain",
    parse: parseNonEmpty,
    mustExist: "file",
    required: true,
  }),
  setting({
    key: "privateKey",
    flag: "--private-key <file>",
    env: ["IAMRA_PRIVATE_KEY"],
    description:
      "PEM private key: PKCS#8, encrypted PKCS#8, SEC1 (EC) or PKCS#1 (RSA); required unless --certificate is a PKCS#12 file",
    parse: parseNonEmpty,
    mustExist: "file",
  }),
  setting({
    key: "intermediates",
    flag: "--intermediates <file>",
    env: ["IAMRA_INTERMEDIATES"],
    description: "PEM bundle of intermediate CA certificates, leaf's issuer first (not with a PKCS#12 --certificate)",
    parse: parseNonEmpty,
    mustExist: "file",
  }),
  setting({
    key: "pkcs8PasswordFile",
    flag: "--pkcs8-password-file <file>",
    env: ["IAMRA_PKCS8_PASSWORD_FILE"],
    description:
      "file holding the password of an encrypted PKCS#8 key or of a PKCS#12 file (or set $IAMRA_PKCS8_PASSWORD; never a flag; PKCS#12 default: empty)",
    parse: parseNonEmpty,
    mustExist: "file",
  }),
];
