/** Reading a process's memory and CPU from /proc, and the least-squares trend of RSS samples (Linux only). */
import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** VmRSS (current) and VmHWM (peak) of `pid`, MiB. */
export function memoryMb(pid: number): { rss: number; hwm: number } {
  const text = readFileSync(`/proc/${pid}/status`, "utf8");
  const mb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)![1]) / 1024;
  return { rss: mb("VmRSS"), hwm: mb("VmHWM") };
}

/** CPU time `pid` has used so far (utime + stime), ms, with the 10 ms resolution of clock ticks. */
export function cpuMs(pid: number): number {
  // the fields after the command name, which may contain spaces, start at "state" (field 3)
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Least-squares slope of `value` over `t` (seconds), in units of value per 10 minutes; 0 with fewer than 2 samples. */
export function slopePerTenMinutes(samples: Array<{ t: number; value: number }>): number {
  const n = samples.length;
  if (n < 2) return 0;
  const mt = samples.reduce((a, s) => a + s.t, 0) / n;
  const mv = samples.reduce((a, s) => a + s.value, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.t - mt) * (s.value - mv);
    den += (s.t - mt) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 600;
}
