import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { mkdtemp, symlink, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAX_OUTPUT_FILE_BYTES, readOutputFile } from "../../../../lib/deliver/readOutputFile.js";

describe("readOutputFile", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-read-output-"));
  });

  it("returns the text of a regular file, and undefined when there is none", async () => {
    await writeFile(join(dir, "credentials"), "[default]\r\nk = v\r\n");
    expect(await readOutputFile(join(dir, "credentials"))).to.equal("[default]\r\nk = v\r\n");
    expect(await readOutputFile(join(dir, "missing"))).to.equal(undefined);
  });

  it("refuses a symlink with OUTPUT_IS_SYMLINK instead of reading its target", async () => {
    await writeFile(join(dir, "target"), "secret");
    await symlink(join(dir, "target"), join(dir, "credentials"));
    const err = await readOutputFile(join(dir, "credentials")).catch((e) => e);
    expect(err.code).to.equal("OUTPUT_IS_SYMLINK");
    expect(err.message).to.not.contain("secret");
  });

  it("reads a file of exactly the bound and refuses one byte more with OUTPUT_FILE_TOO_LARGE", async () => {
    const path = join(dir, "credentials");
    await writeFile(path, "");
    await truncate(path, MAX_OUTPUT_FILE_BYTES);
    expect((await readOutputFile(path))?.length).to.equal(MAX_OUTPUT_FILE_BYTES);
    await truncate(path, MAX_OUTPUT_FILE_BYTES + 1);
    const err = await readOutputFile(path).catch((e) => e);
    expect(err.code).to.equal("OUTPUT_FILE_TOO_LARGE");
    expect(err.details).to.include({ size: MAX_OUTPUT_FILE_BYTES + 1, maxBytes: MAX_OUTPUT_FILE_BYTES });
  });

  it("refuses a FIFO at once (OUTPUT_NOT_READABLE) instead of waiting for a writer", async () => {
    const path = join(dir, "credentials");
    execFileSync("mkfifo", [path]);
    const started = Date.now();
    const err = await readOutputFile(path).catch((e) => e);
    expect(err.code).to.equal("OUTPUT_NOT_READABLE");
    expect(err.message).to.contain("not a regular file");
    expect(Date.now() - started).to.be.below(5_000);
  });
});
