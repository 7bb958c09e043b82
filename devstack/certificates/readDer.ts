/** A minimal DER reader for the stand-ins: the values of a constructed value, with their tags and exact bytes. */

/** One DER value inside a buffer: its identifier octet, its complete encoding and its contents octets. */
export interface DerValue {
  tag: number;
  /** Tag, length and contents. */
  bytes: Buffer;
  contents: Buffer;
}

/** The DER value that starts at `offset` of `der`; throws on a truncated or indefinite-length encoding. */
export function readDerValue(der: Buffer, offset = 0): DerValue {
  const tag = der[offset];
  const first = der[offset + 1];
  if (tag === undefined || first === undefined) throw new Error("DER value truncated");
  if ((tag & 0x1f) === 0x1f) throw new Error("DER tag in the multi-byte form");
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n === 0 || n > 4) throw new Error("DER length in an unsupported form");
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + der[offset + 2 + i]!;
    header += n;
  }
  const end = offset + header + length;
  if (end > der.length) throw new Error("DER value truncated");
  return { tag, bytes: der.subarray(offset, end), contents: der.subarray(offset + header, end) };
}

/** The values inside constructed value `value` (a SEQUENCE, SET or constructed context tag), in order. */
export function readDerChildren(value: DerValue): DerValue[] {
  const children: DerValue[] = [];
  for (let offset = 0; offset < value.contents.length;) {
    const child = readDerValue(value.contents, offset);
    children.push(child);
    offset += child.bytes.length;
  }
  return children;
}
