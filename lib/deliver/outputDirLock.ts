import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import type { BigIntStats } from "node:fs";
import { join } from "node:path";
import { IamraError } from "../errors.js";
import { readOutputFile } from "./readOutputFile.js";

/** Name of the lock file a refresher holds in its output directory for as long as it runs. */
export const LOCK_FILE = ".iamra-refresher.lock";

/** Create only if absent, never through a symlink. */
const CREATE_EXCLUSIVE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Who holds the lock: pid, the process's start time in clock ticks since boot (tells a reused pid apart), when. */
export interface LockHolder {
  pid: number;
  startTicks?: string;
  since: string;
}

/** How a lock holder is recognised as a running process; replaceable in tests. */
export interface ProcessProbe {
  /** This process. */
  self(): Promise<LockHolder>;
  /** True while `holder` runs (same pid and, when both are known, same start time). */
  isRunning(holder: LockHolder): Promise<boolean>;
}

/** A held lock. */
export interface OutputDirLock {
  path: string;
  /** The stale holder that was replaced, if any. */
  tookOverFrom?: LockHolder;
  /** True while the lock file still names this process. */
  stillHeld(): Promise<boolean>;
  /** Removes the lock file if it still names this process. */
  release(): Promise<void>;
}

/*
 * The file calls here are synchronous: a few hundred bytes or metadata on the local volume (or procfs), microseconds
 * each, where a trip through the thread pool costs the process more CPU and, on the first call, starts the pool.
 */

/** Start time of `pid` from /proc/<pid>/stat (field 22), or undefined where /proc is not available. */
function startTicksOf(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]; // fields after "(comm)" start at field 3
}

/** The probe for this host: signal 0 for existence, /proc for the start time. */
export const systemProcessProbe: ProcessProbe = {
  async self() {
    return { pid: process.pid, startTicks: startTicksOf(process.pid), since: new Date().toISOString() };
  },
  async isRunning(holder) {
    try {
      process.kill(holder.pid, 0);
    } catch (err) {
      if ((err as { code?: string }).code !== "EPERM") return false; // ESRCH: no such process
    }
    if (holder.startTicks === undefined) return true;
    const ticks = startTicksOf(holder.pid);
    return ticks === undefined || ticks === holder.startTicks;
  },
};

/** The holder named by the lock file in `dir`, if the file exists and names a process that is running. */
export async function liveLockHolder(
  dir: string,
  probe: ProcessProbe = systemProcessProbe,
): Promise<LockHolder | undefined> {
  const holder = parseHolder(await readOutputFile(join(dir, LOCK_FILE)));
  if (!holder) return undefined;
  const self = await probe.self();
  if (sameProcess(holder, self)) return undefined; // names this very process only if it is ours already
  return (await probe.isRunning(holder)) ? holder : undefined;
}

/**
 * Takes the output directory for this process: creates the lock file exclusively; when one exists and names a running
 * process, fails with OUTPUT_DIR_LOCKED; when it names a process that is gone (or a pid now used by another process),
 * takes it over. The lock file is never followed if it is a symlink.
 */
export async function acquireOutputDirLock(
  dir: string,
  probe: ProcessProbe = systemProcessProbe,
): Promise<OutputDirLock> {
  const path = join(dir, LOCK_FILE);
  const self = await probe.self();
  let tookOverFrom: LockHolder | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, CREATE_EXCLUSIVE, 0o644);
      let written: BigIntStats;
      try {
        writeFileSync(fd, JSON.stringify(self) + "\n");
        written = fstatSync(fd, { bigint: true });
      } finally {
        closeSync(fd);
      }
      return lockFor(path, self, tookOverFrom, written);
    } catch (cause) {
      const errno = (cause as { code?: string }).code;
      if (errno !== "EEXIST") throw lockFailed(path, errno ?? (cause as Error).message, cause);
    }
    const holder = parseHolder(await readOutputFile(path));
    if (holder && !sameProcess(holder, self) && (await probe.isRunning(holder))) {
      throw new IamraError({
        code: "OUTPUT_DIR_LOCKED",
        message:
          `another refresher (pid ${holder.pid}, since ${holder.since}) is running on the output directory ` + dir,
        hint: "run one refresher per output directory: stop the other one, or give this one its own --output-dir",
        step: "start",
        details: { dir, lockFile: path, holder },
      });
    }
    tookOverFrom = holder ?? tookOverFrom;
    try {
      unlinkSync(path);
    } catch (err) {
      const cause = err as NodeJS.ErrnoException;
      if (cause.code !== "ENOENT") throw lockFailed(path, cause.code ?? cause.message, cause); // ENOENT: gone meanwhile
    }
  }
  throw lockFailed(path, "another process keeps re-creating it");
}

function lockFor(
  path: string,
  self: LockHolder,
  tookOverFrom: LockHolder | undefined,
  written: BigIntStats,
): OutputDirLock {
  const stillHeld = async () => {
    // checked before every write: one lstat while the file is the one written here (same inode, size, times to the
    // nanosecond); any rewrite, replacement or removal changes one of them, and then the content decides
    const now = lstatOrUndefined(path); // synchronous: one metadata call, cheaper than a trip through the thread pool
    if (now && sameFileVersion(now, written)) return true;
    const holder = parseHolder(await readOutputFile(path).catch(() => undefined));
    return holder !== undefined && sameProcess(holder, self) && holder.since === self.since;
  };
  return {
    path,
    tookOverFrom,
    stillHeld,
    async release() {
      if (!(await stillHeld())) return;
      try {
        unlinkSync(path);
      } catch {
        // already gone is fine at shutdown
      }
    },
  };
}

function lstatOrUndefined(path: string): BigIntStats | undefined {
  try {
    return lstatSync(path, { bigint: true, throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function sameFileVersion(a: BigIntStats, b: BigIntStats): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

function parseHolder(text: string | undefined): LockHolder | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (!Number.isSafeInteger(v.pid) || (v.pid as number) <= 0 || typeof v.since !== "string") return undefined;
    const startTicks = typeof v.startTicks === "string" ? { startTicks: v.startTicks } : {};
    return { pid: v.pid as number, since: v.since, ...startTicks };
  } catch {
    return undefined; // not a lock written by iamra-vault (e.g. cut short by a crash): treated as stale
  }
}

const sameProcess = (a: LockHolder, b: LockHolder) => a.pid === b.pid && a.startTicks === b.startTicks;

function lockFailed(path: string, reason: string, cause?: unknown): IamraError {
  const contended = cause === undefined;
  return new IamraError({
    code: contended ? "OUTPUT_DIR_LOCKED" : "OUTPUT_NOT_WRITABLE",
    message: `cannot create the lock file ${path} (${reason})`,
    hint: contended
      ? "run one refresher per output directory"
      : reason === "ENOENT"
        ? "create the output directory (mount the shared emptyDir) or fix --output-dir"
        : "make the output directory writable by this user (e.g. an emptyDir volume with fsGroup)",
    step: "start",
    details: { path, reason },
    cause,
  });
}
