/** Noticing when Vault Agent (or anything else) re-renders files: fs.watch on their directories plus stat polling. */
import { watch, type FSWatcher } from "node:fs";
import { stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";

/** Options of watchFiles. */
export interface WatchFilesOptions {
  /**
   * Called with the paths whose content changed, once changes have settled (no further change for debounceMs). Calls
   * never
   * overlap. If it throws (e.g. a half-written file), the same change is offered again at the next poll.
   */
  onChange: (changed: string[]) => void | Promise<void>;
  /** Stat polling period, the fallback when fs.watch misses events (default 5 s). */
  pollIntervalMs?: number;
  /** Quiet time required before onChange, ms (default 1 s: cert, key and chain templates render one after another). */
  debounceMs?: number;
  /** Stops watching when aborted. */
  signal?: AbortSignal;
  /** Receives errors thrown by onChange (they are retried at the next poll either way). */
  onError?: (err: unknown) => void;
  /** Use fs.watch in addition to polling (default true; tests switch it off to prove the fallback). */
  useFsWatch?: boolean;
}

/** A running watcher. */
export interface FileWatcher {
  /** Resolves once the initial state has been read; changes before that are not reported. */
  ready: Promise<void>;
  /** Stops watching (idempotent). */
  close(): void;
}

/** What identifies one version of a file: inode, size, mtime, ctime (ns), or its absence. */
async function signature(path: string): Promise<string> {
  try {
    const s = await stat(path, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch (err) {
    return `missing:${(err as NodeJS.ErrnoException).code ?? "?"}`;
  }
}

const same = (a: string[], b: string[]) => a.every((v, i) => v === b[i]);

/** Watches `paths` (their directories, so atomic renames and symlink swaps are seen) and reports settled changes. */
export function watchFiles(paths: string[], opts: WatchFilesOptions): FileWatcher {
  const files = paths.map((p) => resolve(p));
  const debounceMs = opts.debounceMs ?? 1000;
  const pollIntervalMs = opts.pollIntervalMs ?? 5000;
  const snapshot = () => Promise.all(files.map(signature));
  let reported: string[] = [];
  let probe: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let rerun = false;
  let stopped = false;
  let queue: Promise<void>;
  const watchers: FSWatcher[] = [];

  const arm = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void settle(), debounceMs);
  };

  /** Reads the files; when they moved since the last look, (re)starts the quiet period. Serialised. */
  const observe = () => {
    queue = queue.then(async () => {
      const snap = await snapshot();
      if (!same(snap, probe)) {
        probe = snap;
        arm();
      } else if (timer === undefined && !running && !same(probe, reported)) {
        arm(); // a previous onChange failed: offer the change again
      }
    });
    return queue;
  };

  const settle = async () => {
    timer = undefined;
    if (stopped) return;
    const snap = await snapshot();
    if (!same(snap, probe)) {
      probe = snap;
      return arm(); // still changing
    }
    if (same(snap, reported)) return;
    if (running) {
      rerun = true;
      return;
    }
    running = true;
    const changed = files.filter((_, i) => snap[i] !== reported[i]);
    try {
      await opts.onChange(changed);
      reported = snap;
    } catch (err) {
      opts.onError?.(err); // not lost: `reported` is unchanged, so the next poll offers the change again
    } finally {
      running = false;
      if (rerun) {
        rerun = false;
        arm();
      }
    }
  };

  const ready = snapshot().then((snap) => {
    reported = snap;
    probe = snap;
    if (stopped) return;
    if (opts.useFsWatch ?? true) {
      for (const dir of new Set(files.map((f) => dirname(f)))) {
        try {
          // any event in the directory counts: Kubernetes-style updates swap a "..data" symlink, not the file itself
          const w = watch(dir, { persistent: false }, () => void observe());
          w.on("error", () => w.close()); // e.g. directory removed: polling still covers it
          watchers.push(w);
        } catch {
          // directory missing or watch unsupported (some network filesystems): polling covers it
        }
      }
    }
  });
  queue = ready;
  const interval = setInterval(() => void observe(), pollIntervalMs);

  const close = () => {
    if (stopped) return;
    stopped = true;
    clearInterval(interval);
    clearTimeout(timer);
    for (const w of watchers) w.close();
    opts.signal?.removeEventListener("abort", close);
  };
  if (opts.signal?.aborted) close();
  else opts.signal?.addEventListener("abort", close, { once: true });
  return { ready, close };
}
