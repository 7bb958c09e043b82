/**
 * A minimal DER writer (ITU-T X.690): just the types a PKCS#10 certificate request needs. Every function returns the
 * complete encoding (tag, length, contents) of one value, so values nest by passing encodings into constructed types.
 */

/** Universal tag numbers used here (X.680 clause 8.4), already in identifier-octet form. */
const TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  sequence: 0x30,
  set: 0x31,
} as const;

/** The length octets of a DER value: short form below 128, else 0x80 | n followed by n big-endian bytes (minimal). */
export function derLength(length: number): Buffer {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`invalid DER length ${length}`);
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One value: identifier octet `tag`, then the length of the concatenated `contents`, then the contents. */
export function derTlv(tag: number, ...contents: Uint8Array[]): Buffer {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xff || (tag & 0x1f) === 0x1f) {
    throw new RangeError(`tag ${tag} needs the multi-byte identifier form, which this writer does not produce`);
  }
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

/** SEQUENCE of the given encodings, in order. */
export function derSequence(...items: Uint8Array[]): Buffer {
  return derTlv(TAG.sequence, ...items);
}

/** SET OF the given encodings, sorted by their encodings as DER requires (X.690 11.6). */
export function derSetOf(...items: Uint8Array[]): Buffer {
  return derTlv(TAG.set, ...[...items].sort((a, b) => Buffer.compare(a, b)));
}

/** INTEGER for a non-negative safe integer, in the fewest octets (a leading 0x00 keeps the sign bit clear). */
export function derInteger(value: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a non-negative safe integer: ${value}`);
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  if (bytes.length === 0 || (bytes[0] as number) >= 0x80) bytes.unshift(0);
  return derTlv(TAG.integer, Buffer.from(bytes));
}

/** OBJECT IDENTIFIER from dotted form ("2.5.4.3"): first two arcs as 40a + b, each arc base 128, high bit = more. */
export function derOid(dotted: string): Buffer {
  if (!/^[0-2](\.(0|[1-9][0-9]*))+$/.test(dotted)) throw new RangeError(`invalid object identifier "${dotted}"`);
  const arcs = dotted.split(".").map(Number);
  const [first, second, ...rest] = arcs as [number, number, ...number[]];
  if ((first < 2 && second > 39) || !arcs.every(Number.isSafeInteger)) {
    throw new RangeError(`invalid object identifier "${dotted}"`);
  }
  const body: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const septets: number[] = [];
    for (let n = arc; ; n = Math.floor(n / 128)) {
      septets.unshift((n % 128) | (septets.length > 0 ? 0x80 : 0));
      if (n < 128) break;
    }
    body.push(...septets);
  }
  return derTlv(TAG.oid, Buffer.from(body));
}

/** NULL (the parameters of RSA signature algorithm identifiers). */
export function derNull(): Buffer {
  return derTlv(TAG.null);
}

/** BIT STRING holding whole bytes (no unused bits in the last octet). */
export function derBitString(bytes: Uint8Array): Buffer {
  return derTlv(TAG.bitString, Buffer.from([0]), bytes);
}

/** OCTET STRING holding `bytes`. */
export function derOctetString(bytes: Uint8Array): Buffer {
  return derTlv(TAG.octetString, bytes);
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** A DirectoryString: PrintableString when every character is in its set (X.680 41.4), else UTF8String. */
export function derDirectoryString(text: string): Buffer {
  const printable = PRINTABLE.test(text);
  return derTlv(printable ? TAG.printableString : TAG.utf8String, Buffer.from(text, printable ? "latin1" : "utf8"));
}

/**
 * A context-specific tag [number]: constructed (EXPLICIT, or IMPLICIT over a constructed type) or primitive (IMPLICIT
 * over a primitive type, e.g. the IA5String alternatives of GeneralName). `contents` are the contents octets.
 */
export function derContext(number: number, constructed: boolean, ...contents: Uint8Array[]): Buffer {
  if (!Number.isInteger(number) || number < 0 || number > 30) {
    throw new RangeError(`context tag [${number}] is outside 0..30 (higher numbers need the multi-byte form)`);
  }
  return derTlv(0x80 | (constructed ? 0x20 : 0) | number, ...contents);
}
