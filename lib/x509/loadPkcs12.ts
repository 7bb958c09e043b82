/**
 * Loads a PKCS#12 (.p12/.pfx) file: MAC check, decryption of the key and certificate bags (node-forge), leaf chosen by
 * the key. The structure is read with @peculiar/asn1-pfx so that certificates keep their exact DER bytes.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { AsnParser, OctetString } from "@peculiar/asn1-schema";
import { id_data, id_encryptedData } from "@peculiar/asn1-cms";
import {
  AuthenticatedSafe,
  CertBag,
  PFX,
  PKCS8ShroudedKeyBag,
  SafeContents,
  id_certBag,
  id_keyBag,
  id_pkcs8ShroudedKeyBag,
  id_x509Certificate,
} from "@peculiar/asn1-pfx";
import { IamraError } from "../errors.js";
import { toSigningKey, type SigningKey } from "./signingKey.js";
import { keyMatchesCertificate } from "./checkCertificate.js";
import { decryptPkcs12, PKCS12_REEXPORT, type Pkcs12Password } from "./pkcs12Decrypt.js";
import { verifyPkcs12Mac } from "./verifyPkcs12Mac.js";
import { Pkcs7EncryptedData } from "./pkcs12Schemas.js";

/** Options for loadPkcs12: `password` (default "", as the official helper only supports), `source` named in errors. */
export interface LoadPkcs12Options {
  password?: string;
  source?: string;
}

/**
 * The contents of a PKCS#12 file: the key, the certificate carrying its public key, and every other certificate in file
 * order.
 */
export interface Pkcs12Identity {
  key: SigningKey;
  certificate: X509Certificate;
  others: X509Certificate[];
}

const ID_SAFE_CONTENTS_BAG = "1.2.840.113549.1.12.10.1.6";
const STEP = "load-pkcs12";

/** Parses a DER PKCS#12 file; errors are IamraErrors with PKCS12_* codes and never contain key material. */
export function loadPkcs12(der: Buffer, opts: LoadPkcs12Options = {}): Pkcs12Identity {
  const source = opts.source ?? "PKCS#12 file";
  const pfx = parseAs(der, PFX, source, "a PKCS#12 (PFX) structure");
  if (pfx.authSafe.contentType !== id_data) {
    throw unsupported(source, `authSafe content type ${pfx.authSafe.contentType} (public-key integrity mode)`);
  }
  const authSafe = Buffer.from(parseAs(pfx.authSafe.content, OctetString, source, "the authSafe").buffer);
  const password = verifyPkcs12Mac(pfx.macData, authSafe, opts.password ?? "", source);
  const keys: KeyObject[] = [];
  const certs: X509Certificate[] = [];
  for (const info of parseAs(authSafe, AuthenticatedSafe, source, "the AuthenticatedSafe")) {
    let contents: ArrayBuffer;
    if (info.contentType === id_data) {
      contents = parseAs(info.content, OctetString, source, "a data ContentInfo").buffer;
    } else if (info.contentType === id_encryptedData) {
      const eci = parseAs(info.content, Pkcs7EncryptedData, source, "an EncryptedData").encryptedContentInfo;
      const enc = eci.encryptedContent;
      const data = enc?.value
        ? Buffer.from(enc.value.buffer)
        : Buffer.concat((enc?.constructedValue ?? []).map((o) => Buffer.from(o.buffer)));
      contents = toArrayBuffer(
        decryptPkcs12(eci.contentEncryptionAlgorithm, data, password, { what: "certificate bag", source }),
      );
    } else {
      throw unsupported(source, `content type ${info.contentType} (public-key privacy mode)`);
    }
    readBags(contents, password, source, keys, certs);
  }
  if (keys.length !== 1) {
    throw new IamraError({
      code: "PKCS12_INVALID",
      message: `The PKCS#12 file ${source} holds ${keys.length} private keys; exactly one is needed.`,
      hint: "Export a single identity (key plus its certificate chain), e.g. `openssl pkcs12 -export -inkey key.pem -in cert.pem -certfile chain.pem`.",
      step: STEP,
      details: { source, keys: keys.length, certificates: certs.length },
    });
  }
  const key = toSigningKey(keys[0]!, source);
  const leafIndex = certs.findIndex((c) => keyMatchesCertificate(key, c));
  if (leafIndex < 0) {
    throw new IamraError({
      code: "PKCS12_NO_MATCHING_CERTIFICATE",
      message: `None of the ${certs.length} certificates in the PKCS#12 file ${source} carries the public key of its private key.`,
      hint: "Re-export the file with the key's own certificate (openssl pkcs12 -export -inkey key.pem -in cert.pem).",
      step: STEP,
      details: { source, certificates: certs.length },
    });
  }
  const certificate = certs[leafIndex]!;
  const others = certs.filter((c, i) => i !== leafIndex && !c.raw.equals(certificate.raw));
  return { key, certificate, others };
}

function readBags(
  contents: ArrayBuffer,
  password: Pkcs12Password,
  source: string,
  keys: KeyObject[],
  certs: X509Certificate[],
): void {
  for (const bag of parseAs(contents, SafeContents, source, "a SafeContents")) {
    if (bag.bagId === id_keyBag) {
      keys.push(privateKey(Buffer.from(bag.bagValue), source));
    } else if (bag.bagId === id_pkcs8ShroudedKeyBag) {
      const shrouded = parseAs(bag.bagValue, PKCS8ShroudedKeyBag, source, "a shrouded key bag");
      const data = Buffer.from(shrouded.encryptedData.buffer);
      const pkcs8 = decryptPkcs12(shrouded.encryptionAlgorithm, data, password, { what: "private key bag", source });
      keys.push(privateKey(pkcs8, source));
    } else if (bag.bagId === id_certBag) {
      const certBag = parseAs(bag.bagValue, CertBag, source, "a certificate bag");
      if (certBag.certId !== id_x509Certificate) continue; // SDSI certificates: not X.509, skipped
      const certDer = Buffer.from(parseAs(certBag.certValue, OctetString, source, "a certificate bag").buffer);
      certs.push(guard(source, "an X.509 certificate", () => new X509Certificate(certDer)));
    } else if (bag.bagId === ID_SAFE_CONTENTS_BAG) {
      readBags(bag.bagValue, password, source, keys, certs);
    }
    // CRL and secret bags are not needed to sign and are skipped.
  }
}

function privateKey(pkcs8: Buffer, source: string): KeyObject {
  try {
    return createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
  } catch (cause) {
    throw new IamraError({
      code: "PKCS12_INVALID",
      message: `The private key in the PKCS#12 file ${source} is not a valid PKCS#8 key.`,
      hint: "The file is damaged or holds an unsupported key type; re-export it, or use PEM files with --private-key.",
      step: STEP,
      details: { source },
      cause,
    });
  }
}

function parseAs<T>(data: ArrayBuffer | Buffer, type: new () => T, source: string, what: string): T {
  return guard(source, what, () => AsnParser.parse(data instanceof Buffer ? toArrayBuffer(data) : data, type));
}

function guard<T>(source: string, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (cause) {
    throw new IamraError({
      code: "PKCS12_INVALID",
      message: `${source} is not a valid PKCS#12 file: could not parse ${what}.`,
      hint: "Expected a PEM certificate or a DER PKCS#12 (.p12/.pfx) file; re-export it, or convert it to PEM files.",
      step: STEP,
      details: { source },
      cause,
    });
  }
}

function toArrayBuffer(buf: Buffer): ArrayBuffer {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

function unsupported(source: string, what: string): IamraError {
  return new IamraError({
    code: "PKCS12_UNSUPPORTED_ALGORITHM",
    message: `The PKCS#12 file ${source} uses an unsupported ${what}.`,
    hint:
      "Only password integrity and password privacy modes are supported; re-export with " +
      `\`${PKCS12_REEXPORT}\`, or use PEM files.`,
    step: STEP,
    details: { source },
  });
}
