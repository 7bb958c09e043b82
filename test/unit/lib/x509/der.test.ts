import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  derBitString,
  derContext,
  derDirectoryString,
  derInteger,
  derLength,
  derNull,
  derOctetString,
  derOid,
  derSequence,
  derSetOf,
  derTlv,
} from "../../../../lib/x509/der.js";

const run = promisify(execFile);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("derLength", () => {
  const cases: Array<[number, string]> = [
    [0, "00"],
    [1, "01"],
    [127, "7f"],
    [128, "8180"],
    [129, "8181"],
    [255, "81ff"],
    [256, "820100"],
    [257, "820101"],
    [65535, "82ffff"],
    [65536, "83010000"],
    [16777216, "8401000000"],
  ];
  for (const [n, want] of cases) {
    it(`encodes ${n} as ${want}`, () => {
      expect(hex(derLength(n))).to.equal(want);
    });
  }

  it("throws RangeError for negative and fractional lengths", () => {
    expect(() => derLength(-1)).to.throw(RangeError);
    expect(() => derLength(1.5)).to.throw(RangeError);
  });
});

describe("derTlv", () => {
  for (const n of [0, 127, 128, 255, 256, 70000]) {
    it(`frames ${n} content bytes given in two parts`, () => {
      const body = Buffer.alloc(n, 0xab);
      const half = Math.floor(n / 2);
      const tlv = derTlv(0x04, body.subarray(0, half), body.subarray(half));
      const lengthOctets = derLength(n);
      expect(tlv[0]).to.equal(0x04);
      expect(hex(tlv.subarray(1, 1 + lengthOctets.length))).to.equal(hex(lengthOctets));
      expect(tlv.subarray(1 + lengthOctets.length).equals(body)).to.equal(true);
    });
  }

  it("throws RangeError for a tag that needs the multi-byte identifier form", () => {
    expect(() => derTlv(0x1f)).to.throw(RangeError);
    expect(() => derTlv(0x3f)).to.throw(RangeError);
    expect(() => derTlv(0x100)).to.throw(RangeError);
  });

  describe("read back by openssl asn1parse", () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), "iamra-der-"));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    for (const n of [127, 128, 255, 256, 65536]) {
      it(`agrees on the header and content lengths of a ${n}-byte OCTET STRING inside a SEQUENCE`, async () => {
        const der = derSequence(derOctetString(Buffer.alloc(n, 1)), derNull());
        const file = join(dir, `${n}.der`);
        await writeFile(file, der);
        const { stdout } = await run("openssl", ["asn1parse", "-inform", "DER", "-in", file]);
        const rows = stdout
          .trim()
          .split("\n")
          .map((line) => /d=(\d+)\s+hl=(\d+)\s+l=\s*(\d+)/.exec(line)?.slice(1, 4));
        const innerHeader = 1 + derLength(n).length;
        const outerLength = innerHeader + n + 2;
        expect(rows).to.deep.equal([
          ["0", String(1 + derLength(outerLength).length), String(outerLength)],
          ["1", String(innerHeader), String(n)],
          ["1", "2", "0"],
        ]);
        expect(der.length).to.equal(1 + derLength(outerLength).length + outerLength);
      });
    }
  });
});

describe("derInteger", () => {
  const cases: Array<[number, string]> = [
    [0, "020100"],
    [1, "020101"],
    [127, "02017f"],
    [128, "02020080"],
    [255, "020200ff"],
    [256, "02020100"],
    [65537, "0203010001"],
    [8388608, "020400800000"],
  ];
  for (const [n, want] of cases) {
    it(`encodes ${n} as ${want} (a leading zero only when the high bit is set)`, () => {
      expect(hex(derInteger(n))).to.equal(want);
    });
  }

  it("throws RangeError for negative and unsafe integers", () => {
    expect(() => derInteger(-1)).to.throw(RangeError);
    expect(() => derInteger(2 ** 53)).to.throw(RangeError);
  });
});

describe("derOid", () => {
  const cases: Array<[string, string]> = [
    ["2.5.4.3", "0603550403"],
    ["2.5.29.17", "0603551d11"],
    ["1.2.840.113549.1.9.14", "06092a864886f70d01090e"],
    ["1.2.840.113549.1.1.11", "06092a864886f70d01010b"],
    ["1.2.840.10045.4.3.2", "06082a8648ce3d040302"],
    ["1.2.840.10045.4.3.3", "06082a8648ce3d040303"],
    ["0.0", "060100"],
    ["2.999.3", "0603883703"], // X.690 8.19.5: the first subidentifier 1079 itself takes two octets
    ["1.3.6.1.4.1.2097151", "06082b06010401ffff7f"],
  ];
  for (const [dotted, want] of cases) {
    it(`encodes ${dotted} as ${want}`, () => {
      expect(hex(derOid(dotted))).to.equal(want);
    });
  }

  for (const bad of ["", "1", "3.1", "1.40", "1.2.", "1..2", "1.02", "a.b"]) {
    it(`throws RangeError for ${JSON.stringify(bad)}`, () => {
      expect(() => derOid(bad)).to.throw(RangeError);
    });
  }
});

describe("derSetOf", () => {
  it("sorts its elements by encoding", () => {
    expect(hex(derSetOf(derInteger(2), derInteger(1), derNull()))).to.equal("3108" + "020101" + "020102" + "0500");
  });
});

describe("derDirectoryString", () => {
  it("uses PrintableString when every character is in its set", () => {
    expect(hex(derDirectoryString("A-z 0'()+,./:=?"))).to.equal("130f" + hex(Buffer.from("A-z 0'()+,./:=?")));
  });

  for (const text of ["under_score", "at@sign", "star*", "naïve", "tab\t"]) {
    it(`uses UTF8String for ${JSON.stringify(text)}`, () => {
      const bytes = Buffer.from(text, "utf8");
      expect(hex(derDirectoryString(text))).to.equal("0c" + hex(derLength(bytes.length)) + hex(bytes));
    });
  }
});

describe("derBitString / derOctetString / derNull / derContext", () => {
  it("prefixes a BIT STRING with zero unused bits", () => {
    expect(hex(derBitString(Buffer.from([0xff, 0x01])))).to.equal("030300ff01");
  });

  it("wraps bytes in an OCTET STRING", () => {
    expect(hex(derOctetString(Buffer.from([0x30, 0x00])))).to.equal("04023000");
  });

  it("writes NULL as 0500", () => {
    expect(hex(derNull())).to.equal("0500");
  });

  it("writes primitive and constructed context tags", () => {
    expect(hex(derContext(6, false, Buffer.from("a:b")))).to.equal("8603613a62");
    expect(hex(derContext(2, false, Buffer.from("x")))).to.equal("820178");
    expect(hex(derContext(0, true))).to.equal("a000");
    expect(hex(derContext(0, true, derNull()))).to.equal("a0020500");
    expect(() => derContext(31, true)).to.throw(RangeError);
  });
});
