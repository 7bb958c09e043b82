/**
 * The ASN.1 schema that @peculiar/asn1-pfx and @peculiar/asn1-cms leave out: PKCS#7 EncryptedData (RFC 2315 §13).
 * Decorators are applied as plain calls because the project compiles without experimentalDecorators.
 */
import { AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from "@peculiar/asn1-schema";
import { EncryptedContentInfo } from "@peculiar/asn1-cms";

/** PKCS#7 EncryptedData ::= SEQUENCE { version INTEGER, encryptedContentInfo EncryptedContentInfo }. */
export class Pkcs7EncryptedData {
  declare version: number;
  declare encryptedContentInfo: EncryptedContentInfo;
}
AsnProp({ type: AsnPropTypes.Integer })(Pkcs7EncryptedData.prototype, "version");
AsnProp({ type: EncryptedContentInfo })(Pkcs7EncryptedData.prototype, "encryptedContentInfo");
AsnType({ type: AsnTypeTypes.Sequence })(Pkcs7EncryptedData);
