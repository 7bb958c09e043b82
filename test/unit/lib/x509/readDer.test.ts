import { expect } from "chai";
import { derInteger, derOctetString, derSequence } from "../../../../lib/x509/der.js";
import { readDerChildren, readDerElement } from "../../../../lib/x509/readDer.js";

const bytes = (hex: string) => Buffer.from(hex.replace(/\s/g, ""), "hex");

describe("readDerElement", () => {
  it("reads a short-form length", () => {
    expect(readDerElement(bytes("04 03 aabbcc"), 0)).to.deep.equal({ tag: 0x04, start: 2, end: 5 });
  });

  it("reads long-form lengths of one to four octets, the contents starting after them", () => {
    for (const size of [200, 300, 70_000]) {
      const der = derOctetString(Buffer.alloc(size));
      const e = readDerElement(der, 0);
      expect(e.tag).to.equal(0x04);
      expect(e.end - e.start, `size ${size}`).to.equal(size);
      expect(e.end).to.equal(der.length);
    }
    expect(readDerElement(bytes("04 84 00000001 ff"), 0)).to.deep.equal({ tag: 0x04, start: 6, end: 7 });
  });

  it("accepts a long form that is not minimal, as OpenSSL does", () => {
    expect(readDerElement(bytes("04 81 01 ff"), 0)).to.deep.equal({ tag: 0x04, start: 3, end: 4 });
  });

  it("reads the element at an offset, within a limit", () => {
    const der = derSequence(derInteger(1), derInteger(300));
    expect(readDerElement(der, 5, der.length)).to.deep.equal({ tag: 0x02, start: 7, end: 9 });
  });

  const refused: Array<[string, string, RegExp]> = [
    ["no bytes", "", /cut short/],
    ["a tag without a length", "30", /cut short/],
    ["an indefinite length", "30 80 0000", /indefinite/],
    ["a length of five octets", "04 85 0000000001 ff", /too long/],
    ["long-form length octets cut short", "04 82 01", /cut short/],
    ["contents shorter than the length", "30 05 020101", /claims 5 octets, 3 remain/],
    ["a multi-octet tag", "1f 81 00 00", /multi-octet tag/],
  ];
  for (const [name, hex, message] of refused) {
    it(`refuses ${name}`, () => {
      expect(() => readDerElement(bytes(hex), 0)).to.throw(RangeError, message);
    });
  }

  it("refuses contents that run past the limit even when the bytes go on", () => {
    expect(() => readDerElement(bytes("04 03 aabbcc"), 0, 4)).to.throw(RangeError, /claims 3 octets, 2 remain/);
  });
});

describe("readDerChildren", () => {
  it("lists the elements that fill a SEQUENCE, in order", () => {
    const der = derSequence(derInteger(5), derOctetString(Buffer.alloc(130)), derSequence());
    const children = readDerChildren(der, readDerElement(der, 0));
    expect(children.map((c) => c.tag)).to.deep.equal([0x02, 0x04, 0x30]);
    expect(children[2]!.end).to.equal(der.length);
  });

  it("lists nothing for an empty SEQUENCE", () => {
    expect(readDerChildren(bytes("3000"), readDerElement(bytes("3000"), 0))).to.deep.equal([]);
  });

  it("refuses a child that runs past the end of its parent", () => {
    // SEQUENCE of 3 octets holding an INTEGER that claims 2 octets of contents (4 in all)
    const der = bytes("30 03 0202 01 00");
    expect(() => readDerChildren(der, readDerElement(der, 0, 5))).to.throw(RangeError, /claims 2 octets, 1 remain/);
  });
});
