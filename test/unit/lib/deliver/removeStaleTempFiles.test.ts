import { expect } from "chai";
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { removeStaleTempFiles } from "../../../../lib/deliver/removeStaleTempFiles.js";
import { tempPathFor } from "../../../../lib/deliver/writeFileSet.js";

describe("removeStaleTempFiles", () => {
  it("removes the temp files writeFileSet names for the given files, and nothing else", async () => {
    const dir = await mkdtemp(join(tmpdir(), "iamra-stale-"));
    const ours = [tempPathFor(join(dir, "credentials")), tempPathFor(join(dir, "iamra-state.json"))];
    const others = [
      "credentials",
      ".config.1.deadbeef.tmp",
      ".credentials.x.deadbeef.tmp",
      ".credentialsX.1.deadbeef.tmp",
    ];
    for (const p of [...ours, ...others.map((n) => join(dir, n))]) await writeFile(p, "x");
    const r = await removeStaleTempFiles(dir, ["credentials", "iamra-state.json"]);
    expect(r.removed.sort()).to.deep.equal(ours.map((p) => p.slice(dir.length + 1)).sort());
    expect(r.failed).to.deep.equal([]);
    expect((await readdir(dir)).sort()).to.deep.equal([...others].sort());
  });

  it("reports nothing for a directory that does not exist", async () => {
    const r = await removeStaleTempFiles(join(tmpdir(), "iamra-no-such-dir-" + process.pid), ["credentials"]);
    expect(r).to.deep.equal({ removed: [], failed: [] });
  });
});
