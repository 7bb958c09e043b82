/**
 * ASN.1 schemas that @peculiar/asn1-pfx leaves out: PKCS#7 EncryptedData and the PBE / PBES2 / PBKDF2 parameters.
 * Decorators are applied as plain calls because the project compiles without experimentalDecorators.
 */
import { AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from "@peculiar/asn1-schema";
import { EncryptedContentInfo } from "@peculiar/asn1-cms";

function sequence(target: new () => object, props: Array<[string, Parameters<typeof AsnProp>[0]]>): void {
  for (const [name, options] of props) AsnProp(options)(target.prototype as object, name);
  AsnType({ type: AsnTypeTypes.Sequence })(target);
}

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }. */
export class AlgId {
  declare algorithm: string;
  declare parameters?: ArrayBuffer;
}
sequence(AlgId, [
  ["algorithm", { type: AsnPropTypes.ObjectIdentifier }],
  ["parameters", { type: AsnPropTypes.Any, optional: true }],
]);

/** PKCS#7 EncryptedData ::= SEQUENCE { version INTEGER, encryptedContentInfo EncryptedContentInfo }. */
export class Pkcs7EncryptedData {
  declare version: number;
  declare encryptedContentInfo: EncryptedContentInfo;
}
sequence(Pkcs7EncryptedData, [
  ["version", { type: AsnPropTypes.Integer }],
  ["encryptedContentInfo", { type: EncryptedContentInfo }],
]);

/** pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER } (RFC 7292 Appendix C). */
export class PbeParameter {
  declare salt: ArrayBuffer;
  declare iterations: number;
}
sequence(PbeParameter, [
  ["salt", { type: AsnPropTypes.OctetString }],
  ["iterations", { type: AsnPropTypes.Integer }],
]);

/** PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier, encryptionScheme AlgorithmIdentifier } (RFC 8018). */
export class Pbes2Params {
  declare keyDerivationFunc: AlgId;
  declare encryptionScheme: AlgId;
}
sequence(Pbes2Params, [
  ["keyDerivationFunc", { type: AlgId }],
  ["encryptionScheme", { type: AlgId }],
]);

/** PBKDF2-params ::= SEQUENCE { salt OCTET STRING, iterationCount INTEGER, keyLength INTEGER OPTIONAL, prf DEFAULT hmacWithSHA1 }. */
export class Pbkdf2Params {
  declare salt: ArrayBuffer;
  declare iterationCount: number;
  declare keyLength?: number;
  declare prf?: AlgId;
}
sequence(Pbkdf2Params, [
  ["salt", { type: AsnPropTypes.OctetString }],
  ["iterationCount", { type: AsnPropTypes.Integer }],
  ["keyLength", { type: AsnPropTypes.Integer, optional: true }],
  ["prf", { type: AlgId, optional: true }],
]);
