import { expect } from "chai";
import { Writable } from "node:stream";
import { writeOutput } from "../../../../lib/deliver/writeOutput.js";

/** A stream that fails every write with `code` and counts the writes it was handed. */
function failingStream(code: string): Writable & { writes: number } {
  const out = new Writable({
    write(_chunk, _enc, cb) {
      out.writes++;
      cb(Object.assign(new Error(`write ${code}`), { code }));
    },
  }) as Writable & { writes: number };
  out.writes = 0;
  return out;
}

describe("writeOutput", () => {
  it("resolves once the text is written", async () => {
    const chunks: string[] = [];
    const out = new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk.toString());
        cb();
      },
    });
    await writeOutput(out, "a\n");
    await writeOutput(out, "b\n");
    expect(chunks).to.deep.equal(["a\n", "b\n"]);
  });

  it("drops the output once the reader has gone (EPIPE), without an unhandled error event", async () => {
    const out = failingStream("EPIPE");
    await writeOutput(out, "first\n");
    await new Promise((r) => setImmediate(r)); // the stream's 'error' event comes after the callback
    await writeOutput(out, "second\n");
    expect(out.writes).to.equal(1);
  });

  it("rejects any other write error", async () => {
    const out = failingStream("EIO");
    const err = await writeOutput(out, "x").then(
      () => undefined,
      (e: NodeJS.ErrnoException) => e,
    );
    expect(err?.code).to.equal("EIO");
  });
});
