/** A minimal DER reader for the stand-ins: the values of a constructed value, with their tags and exact bytes. */
import { readDerElement } from "../../lib/x509/readDer.js";

/** One DER value inside a buffer: its identifier octet, its complete encoding and its contents octets. */
export interface DerValue {
  tag: number;
  /** Tag, length and contents. */
  bytes: Buffer;
  contents: Buffer;
}

/** The DER value that starts at `offset` of `der`; throws on a truncated or indefinite-length encoding. */
export function readDerValue(der: Buffer, offset = 0): DerValue {
  const { tag, start, end } = readDerElement(der, offset);
  return { tag, bytes: der.subarray(offset, end), contents: der.subarray(start, end) };
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
