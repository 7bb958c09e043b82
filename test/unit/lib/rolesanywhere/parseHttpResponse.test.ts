import { expect } from "chai";
import { parseHttpResponse } from "../../../../lib/rolesanywhere/parseHttpResponse.js";

const bytes = (s: string) => Buffer.from(s, "latin1");

/** Feeds `text` one byte more at a time: every prefix but the whole must be incomplete (undefined). */
function parseByteByByte(text: string) {
  const all = bytes(text);
  for (let n = 0; n < all.length; n++) {
    expect(parseHttpResponse(all.subarray(0, n), false), `complete after ${n} of ${all.length} bytes`).to.equal(
      undefined,
    );
  }
  return parseHttpResponse(all, false);
}

function errorOf(fn: () => unknown): { code?: string; message?: string } {
  try {
    fn();
  } catch (e) {
    return e as { code?: string };
  }
  throw new Error("did not throw");
}

describe("parseHttpResponse", () => {
  it("reads a body framed by Content-Length, and only that many bytes", () => {
    const a = parseByteByByte(
      'HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{"a":1}',
    );
    expect(a).to.deep.equal({
      status: 201,
      headers: { "content-type": "application/json", "content-length": "7" },
      body: '{"a":1}',
    });
    expect(parseHttpResponse(bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA"), false)!.body).to.equal("ok");
  });

  it("decodes a chunked body with chunk extensions and trailers", () => {
    const text =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
      '4;name=x\r\n{"a"\r\n' +
      "A\r\n:1234567}\n\r\n" +
      "0\r\nX-Trailer: yes\r\n\r\n";
    expect(parseByteByByte(text)!.body).to.equal('{"a":1234567}\n');
    expect(parseByteByByte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n")!.body).to.equal(
      "ok",
    );
  });

  it("decodes UTF-8 split across chunks", () => {
    const euro = Buffer.from("€", "utf8");
    const raw = Buffer.concat([
      bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n"),
      euro.subarray(0, 1),
      bytes("\r\n2\r\n"),
      euro.subarray(1),
      bytes("\r\n0\r\n\r\n"),
    ]);
    expect(parseHttpResponse(raw, false)!.body).to.equal("€");
  });

  it("reads a body without length until the connection ends", () => {
    const raw = bytes("HTTP/1.0 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\nboom");
    expect(parseHttpResponse(raw, false)).to.equal(undefined);
    expect(parseHttpResponse(raw, true)).to.deep.equal({
      status: 500,
      headers: { "content-type": "text/plain" },
      body: "boom",
    });
  });

  it("skips interim 1xx answers", () => {
    const a = parseByteByByte("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    expect(a).to.deep.include({ status: 200, body: "ok" });
  });

  it("reads no body for 204 and 304", () => {
    expect(parseHttpResponse(bytes("HTTP/1.1 204 No Content\r\n\r\n"), false)).to.deep.equal({
      status: 204,
      headers: {},
      body: "",
    });
  });

  it("merges repeated headers as Node's client does", () => {
    const a = parseHttpResponse(
      bytes(
        "HTTP/1.1 429 Too Many\r\nRetry-After: 3\r\nretry-after: 9\r\nVia: a\r\nVIA: b\r\nSet-Cookie: x=1\r\n" +
          "Set-Cookie: y=2\r\nContent-Length: 0\r\n\r\n",
      ),
      false,
    )!;
    expect(a.headers).to.deep.equal({
      "retry-after": "3",
      via: "a, b",
      "set-cookie": ["x=1", "y=2"],
      "content-length": "0",
    });
  });

  it("fails with ECONNRESET when the connection ends before the answer is complete", () => {
    for (const text of [
      "",
      "HTTP/1.1 200 OK\r\nContent-Len",
      "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\npartial",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\npar",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n",
    ]) {
      expect(
        errorOf(() => parseHttpResponse(bytes(text), true)),
        JSON.stringify(text),
      ).to.deep.include({
        code: "ECONNRESET",
        message: "socket hang up",
      });
    }
  });

  it("rejects what is not an HTTP/1.1 response", () => {
    const cases: Array<[string, string]> = [
      ["SSH-2.0-OpenSSH\r\n\r\n", "HPE_INVALID"],
      ["HTTP/1.1 20 OK\r\n\r\n", "HPE_INVALID"],
      ["HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "HPE_INVALID_HEADER"],
      ["HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "HPE_INVALID"],
      ["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "HPE_INVALID_CHUNK_SIZE"],
      ["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX\r\n", "HPE_INVALID_CHUNK_SIZE"],
      // framing Node's parser refuses: a proxy or balancer could mean either length
      [
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        "HPE_INVALID_CONTENT_LENGTH",
      ],
      ["HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 6\r\n\r\nabcdef", "HPE_UNEXPECTED_CONTENT_LENGTH"],
      ["HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok", "HPE_INVALID_HEADER"],
      [
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
        "HPE_INVALID",
      ],
    ];
    for (const [text, code] of cases) {
      expect(errorOf(() => parseHttpResponse(bytes(text), false)).code, JSON.stringify(text)).to.equal(code);
    }
  });

  it("rejects an endless head, and a complete head over the limit that arrived at once", () => {
    const head = `HTTP/1.1 200 OK\r\n${"X-Pad: y\r\n".repeat(8000)}`;
    expect(errorOf(() => parseHttpResponse(bytes(head), false)).code).to.equal("HPE_HEADER_OVERFLOW");
    const whole = `${head}Content-Length: 2\r\n\r\nok`;
    expect(errorOf(() => parseHttpResponse(bytes(whole), false)).code).to.equal("HPE_HEADER_OVERFLOW");
  });

  it("accepts identical repeated Content-Length values, and reads to the end a coding that is not chunked", () => {
    const same = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok";
    expect(parseHttpResponse(bytes(same), false)).to.deep.include({ status: 200, body: "ok" });
    const gzip = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nraw");
    expect(parseHttpResponse(gzip, false)).to.equal(undefined);
    expect(parseHttpResponse(gzip, true)).to.deep.include({ status: 200, body: "raw" });
  });

  it("says how many bytes an incomplete answer needs at least, so that a caller need not parse each piece", () => {
    const progress = { needBytes: 0 };
    const head = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n";
    expect(parseHttpResponse(bytes(`${head}abc`), false, progress)).to.equal(undefined);
    expect(progress.needBytes).to.equal(head.length + 1000);
    const chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    expect(parseHttpResponse(bytes(`${chunked}100\r\nabc`), false, progress)).to.equal(undefined);
    expect(progress.needBytes).to.equal(chunked.length + 5 + 0x100 + 2);
    expect(parseHttpResponse(bytes("HTTP/1.1 200"), false, progress)).to.equal(undefined);
    expect(progress.needBytes).to.equal("HTTP/1.1 200".length + 1);
  });
});
