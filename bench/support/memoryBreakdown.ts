/** Where a process's resident memory lives, from /proc/<pid>/smaps_rollup, smaps and status (Linux only). */
import { readFileSync } from "node:fs";

/** Resident memory of one process split by kind, MiB, with its largest mappings and its thread count. */
export interface MemoryBreakdown {
  rss: number;
  anonymous: number;
  fileBacked: number;
  shmem: number;
  threads: number;
  /** Resident MiB by mapping name ("[anon]" for unnamed anonymous mappings), largest first. */
  byMapping: Record<string, number>;
}

const mib = (kb: number) => Math.round((kb / 1024) * 10) / 10;

/** Reads the breakdown of `pid`; `top` mappings are kept by name, the rest summed as "(others)". */
export function memoryBreakdown(pid: number, top = 8): MemoryBreakdown {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(rollup)?.[1] ?? 0);
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const byName = new Map<string, number>();
  let name = "";
  for (const line of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      name = header[1]!.trim() || "[anon]";
      continue;
    }
    const rss = /^Rss:\s+(\d+)/.exec(line);
    if (rss) byName.set(name, (byName.get(name) ?? 0) + Number(rss[1]));
  }
  const sorted = [...byName].sort((a, b) => b[1] - a[1]);
  const byMapping: Record<string, number> = {};
  for (const [n, v] of sorted.slice(0, top)) byMapping[n] = mib(v);
  byMapping["(others)"] = mib(sorted.slice(top).reduce((a, [, v]) => a + v, 0));
  return {
    rss: mib(kb("Rss")),
    anonymous: mib(kb("Anonymous")),
    fileBacked: mib(kb("Rss") - kb("Anonymous") - kb("Shmem")),
    shmem: mib(kb("Shmem")),
    threads: Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 0),
    byMapping,
  };
}
