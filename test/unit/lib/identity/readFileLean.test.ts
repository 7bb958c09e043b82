import { expect } from "chai";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readFileLean } from "../../../../lib/identity/readFileLean.js";

describe("readFileLean", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-readfilelean-"));
    await writeFile(join(dir, "f"), "naïve\n");
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("reads a file as bytes when no encoding is given", async () => {
    const data = await readFileLean(join(dir, "f"));
    expect(Buffer.isBuffer(data)).to.equal(true);
    expect(data.toString("hex")).to.equal(Buffer.from("naïve\n").toString("hex"));
  });

  it("reads a file as text when an encoding is given", async () => {
    expect(await readFileLean(join(dir, "f"), "utf8")).to.equal("naïve\n");
  });

  it("rejects with the errno code when the file is missing", async () => {
    const err = await readFileLean(join(dir, "missing")).catch((e: unknown) => e);
    expect((err as { code?: string }).code).to.equal("ENOENT");
  });
});
