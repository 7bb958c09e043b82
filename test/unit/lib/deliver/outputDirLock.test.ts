import { expect } from "chai";
import { mkdtemp, readFile, readdir, stat, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  acquireOutputDirLock,
  liveLockHolder,
  LOCK_FILE,
  type LockHolder,
  type ProcessProbe,
} from "../../../../lib/deliver/outputDirLock.js";

const ME: LockHolder = { pid: 100, startTicks: "5000", since: "2030-01-01T00:00:00.000Z" };
/** A probe where only the processes in `running` exist. */
const probe = (running: LockHolder[]): ProcessProbe => ({
  self: async () => ME,
  isRunning: async (h) => running.some((r) => r.pid === h.pid && r.startTicks === h.startTicks),
});

describe("acquireOutputDirLock", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-lock-"));
  });
  const plant = (holder: object | string) =>
    writeFile(join(dir, LOCK_FILE), typeof holder === "string" ? holder : JSON.stringify(holder));

  it("creates the lock naming this process and removes it at release", async () => {
    const lock = await acquireOutputDirLock(dir, probe([ME]));
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), "utf8"))).to.deep.equal(ME);
    expect(await lock.stillHeld()).to.equal(true);
    await lock.release();
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it("refuses with OUTPUT_DIR_LOCKED while the holder runs, leaving its lock", async () => {
    const other = { pid: 200, startTicks: "7", since: "2029-12-31T00:00:00.000Z" };
    await plant(other);
    const err = await acquireOutputDirLock(dir, probe([ME, other])).catch((e) => e);
    expect(err.code).to.equal("OUTPUT_DIR_LOCKED");
    expect(err.message).to.contain("pid 200");
    expect(err.hint).to.be.a("string");
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), "utf8"))).to.deep.equal(other);
    expect(await liveLockHolder(dir, probe([ME, other]))).to.deep.equal(other);
  });

  const stale: Array<[string, object | string]> = [
    ["a pid that is gone", { pid: 300, startTicks: "9", since: "x" }],
    ["a pid reused by another process (other start time)", { pid: 200, startTicks: "1", since: "x" }],
    ["this pid in an earlier container (other start time)", { pid: 100, startTicks: "1", since: "x" }],
    ["a lock cut short by a crash", '{"pid": 2'],
  ];
  for (const [name, holder] of stale) {
    it(`takes over a stale lock: ${name}`, async () => {
      await plant(holder);
      const running = probe([ME, { pid: 200, startTicks: "7", since: "y" }]);
      expect(await liveLockHolder(dir, running)).to.equal(undefined);
      const lock = await acquireOutputDirLock(dir, running);
      expect(JSON.parse(await readFile(join(dir, LOCK_FILE), "utf8"))).to.deep.equal(ME);
      expect(lock.tookOverFrom).to.deep.equal(typeof holder === "string" ? undefined : holder);
    });
  }

  it("refuses a lock file that is a symlink (OUTPUT_IS_SYMLINK)", async () => {
    await writeFile(join(dir, "target"), "keep");
    await symlink(join(dir, "target"), join(dir, LOCK_FILE));
    const err = await acquireOutputDirLock(dir, probe([ME])).catch((e) => e);
    expect(err.code).to.equal("OUTPUT_IS_SYMLINK");
    expect(await readFile(join(dir, "target"), "utf8")).to.equal("keep");
  });

  it("does not remove at release a lock that another process has taken since", async () => {
    const lock = await acquireOutputDirLock(dir, probe([ME]));
    const other = { pid: 200, startTicks: "7", since: "2031-01-01T00:00:00.000Z" };
    await plant(other);
    expect(await lock.stillHeld()).to.equal(false);
    await lock.release();
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), "utf8"))).to.deep.equal(other);
  });

  it("stillHeld is false when another process rewrote the lock with the same size and put the mtime back", async () => {
    const lock = await acquireOutputDirLock(dir, probe([ME]));
    const path = join(dir, LOCK_FILE);
    const before = await stat(path);
    const other = { ...ME, pid: 200, startTicks: "7000" }; // same length as ME's JSON
    await writeFile(path, JSON.stringify(other) + "\n");
    await utimes(path, before.atime, before.mtime);
    expect((await stat(path)).size).to.equal(before.size);
    expect(await lock.stillHeld()).to.equal(false);
  });

  it("stillHeld is true when the lock file was only touched and still names this process", async () => {
    const lock = await acquireOutputDirLock(dir, probe([ME]));
    await utimes(join(dir, LOCK_FILE), new Date(), new Date(Date.now() + 5000));
    expect(await lock.stillHeld()).to.equal(true);
  });

  it("stillHeld is false once the lock file is gone", async () => {
    const lock = await acquireOutputDirLock(dir, probe([ME]));
    await lock.release();
    expect(await lock.stillHeld()).to.equal(false);
  });

  it("fails with OUTPUT_NOT_WRITABLE and a hint when the output directory does not exist", async () => {
    const err = await acquireOutputDirLock(join(dir, "missing"), probe([ME])).catch((e) => e);
    expect(err.code).to.equal("OUTPUT_NOT_WRITABLE");
    expect(err.hint).to.contain("create the output directory");
  });
});
