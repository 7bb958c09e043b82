import { expect } from "chai";
import { lstat, mkdtemp, readFile, readdir, stat, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "../../../../lib/deliver/writeFileAtomic.js";

describe("writeFileAtomic", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-atomic-"));
  });

  it("writes the content with the requested mode and leaves no temp file", async () => {
    const path = join(dir, "credentials");
    await writeFileAtomic(path, "hello", { mode: 0o640 });
    expect(await readFile(path, "utf8")).to.equal("hello");
    expect((await stat(path)).mode & 0o777).to.equal(0o640);
    expect(await readdir(dir)).to.deep.equal(["credentials"]);
  });

  it("moves the mtime forward even when the old file's mtime is in the future", async () => {
    const path = join(dir, "credentials");
    await writeFile(path, "old");
    const future = new Date(Date.now() + 60_000);
    await utimes(path, future, future);
    await writeFileAtomic(path, "new", { mode: 0o600 });
    expect((await stat(path)).mtimeMs).to.be.greaterThan(future.getTime());
  });

  it("fails with OUTPUT_NOT_WRITABLE and leaves the old file untouched", async () => {
    const path = join(dir, "credentials");
    await writeFile(path, "precious");
    const err = await writeFileAtomic(join(path, "child"), "x", { mode: 0o600 }).catch((e) => e);
    expect(err.code).to.equal("OUTPUT_NOT_WRITABLE");
    expect(err.message).to.contain("unchanged");
    expect(await readFile(path, "utf8")).to.equal("precious");
    expect(await readdir(dir)).to.deep.equal(["credentials"]);
  });

  it("refuses to replace a symlink (OUTPUT_IS_SYMLINK): neither the link nor its target changes", async () => {
    await writeFile(join(dir, "target"), "precious");
    await symlink(join(dir, "target"), join(dir, "endpoint-token"));
    const err = await writeFileAtomic(join(dir, "endpoint-token"), "new", { mode: 0o644 }).catch((e) => e);
    expect(err.code).to.equal("OUTPUT_IS_SYMLINK");
    expect(await readFile(join(dir, "target"), "utf8")).to.equal("precious");
    expect((await lstat(join(dir, "endpoint-token"))).isSymbolicLink()).to.equal(true);
    expect((await readdir(dir)).sort()).to.deep.equal(["endpoint-token", "target"]);
  });
});
