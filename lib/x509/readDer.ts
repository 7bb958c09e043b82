/**
 * A minimal DER reader (ITU-T X.690): element headers only, to check the structure of an encoding without decoding
 * its values. Lengths need not be minimal (OpenSSL accepts that too) but must be definite.
 */

/** One element: its identifier octet, where its contents start and where it ends (offsets into the bytes). */
export interface DerElement {
  tag: number;
  start: number;
  end: number;
}

/**
 * The element at `offset`, whose contents must end by `limit`. Throws RangeError (naming the offset) when the header
 * is cut short, the tag needs more than one octet, the length is indefinite or over 4 octets, or the contents would
 * run past `limit`.
 */
export function readDerElement(bytes: Uint8Array, offset: number, limit = bytes.length): DerElement {
  if (offset + 2 > limit) throw new RangeError(`DER element at offset ${offset} is cut short`);
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new RangeError(`DER element at offset ${offset} has a multi-octet tag`);
  let length = bytes[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 4) {
      throw new RangeError(
        `DER element at offset ${offset} has ${octets === 0 ? "an indefinite" : "a too long"} length`,
      );
    }
    if (start + octets > limit) throw new RangeError(`DER element at offset ${offset} is cut short`);
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + bytes[start + i]!;
    start += octets;
  }
  if (start + length > limit) {
    throw new RangeError(`DER element at offset ${offset} claims ${length} octets, ${limit - start} remain`);
  }
  return { tag, start, end: start + length };
}

/** The elements that exactly fill the contents of `parent`, in order; throws RangeError when they do not. */
export function readDerChildren(bytes: Uint8Array, parent: DerElement): DerElement[] {
  const children: DerElement[] = [];
  for (let at = parent.start; at < parent.end; at = children[children.length - 1]!.end) {
    children.push(readDerElement(bytes, at, parent.end));
  }
  return children;
}
