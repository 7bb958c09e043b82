import { expect } from "chai";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findBaoBinary } from "../../../../devstack/openbao/findBaoBinary.js";
import { exitCodeFor } from "../../../../lib/errors.js";
import { expectIamraError } from "../../../support/expectIamraError.js";

describe("findBaoBinary", () => {
  let dir: string;
  let plain: string;
  let withBao: string;
  let notExecutable: string;
  let peer: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-find-bao-"));
    [plain, withBao, notExecutable] = [join(dir, "plain"), join(dir, "with-bao"), join(dir, "not-executable")];
    for (const d of [plain, withBao, notExecutable]) await mkdir(d);
    await writeFile(join(withBao, "bao"), "#!/bin/sh\n", { mode: 0o755 });
    await writeFile(join(notExecutable, "bao"), "#!/bin/sh\n", { mode: 0o644 });
    peer = join(dir, "peer-bao");
    await writeFile(peer, "#!/bin/sh\n", { mode: 0o755 });
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it("takes the first executable bao on PATH, skipping folders without one and files that are not executable", () => {
    const pathEnv = [plain, notExecutable, "relative/dir", withBao].join(":");
    expect(findBaoBinary({ pathEnv, projectPeers: [peer] })).to.equal(join(withBao, "bao"));
  });

  it("falls back to the project's peer when PATH has no bao", () => {
    expect(findBaoBinary({ pathEnv: plain, projectPeers: [join(dir, "absent"), peer] })).to.equal(peer);
  });

  it("uses --bao-path over PATH", () => {
    expect(findBaoBinary({ baoPath: peer, pathEnv: withBao })).to.equal(peer);
  });

  it("refuses a --bao-path that is not executable, naming it, as a usage error", async () => {
    const err = await expectIamraError(
      () => findBaoBinary({ baoPath: join(notExecutable, "bao"), pathEnv: withBao }),
      "DEVSTACK_BAO_NOT_FOUND",
    );
    expect(err.message).to.contain(join(notExecutable, "bao"));
    expect(exitCodeFor(err)).to.equal(2);
  });

  it("fails with a hint when bao is nowhere", async () => {
    const err = await expectIamraError(
      () => findBaoBinary({ pathEnv: plain, projectPeers: [join(dir, "absent")] }),
      "DEVSTACK_BAO_NOT_FOUND",
    );
    expect(err.hint).to.contain("--bao-path");
    expect(exitCodeFor(err)).to.equal(2);
  });
});
