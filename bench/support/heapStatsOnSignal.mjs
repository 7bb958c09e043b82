// Preloaded (node --import) into a process under benchmark: on SIGUSR2 it writes V8's heap statistics, per space,
// and process.memoryUsage() as JSON to the file named by BENCH_HEAP_STATS_FILE. Used only by bench/ to break RSS down.
import { writeFileSync } from "node:fs";
import v8 from "node:v8";
const file = process.env.BENCH_HEAP_STATS_FILE;
if (file) {
  process.on("SIGUSR2", () => {
    const mib = (n) => Math.round((n / 1048576) * 10) / 10;
    const spaces = {};
    for (const s of v8.getHeapSpaceStatistics()) {
      spaces[s.space_name] = { size: mib(s.space_size), used: mib(s.space_used_size) };
    }
    const h = v8.getHeapStatistics();
    const m = process.memoryUsage();
    const stats = {
      heapTotal: mib(h.total_heap_size),
      heapUsed: mib(h.used_heap_size),
      external: mib(h.external_memory),
      mallocedMemory: mib(h.malloced_memory),
      peakMallocedMemory: mib(h.peak_malloced_memory),
      arrayBuffers: mib(m.arrayBuffers),
      spaces,
    };
    writeFileSync(file, JSON.stringify(stats));
  });
}
