import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * With --help or -h among the arguments, prints the benchmark's header comment (what it measures, how to run it, its
 * options) and exits 0 before anything starts; otherwise returns at once. Call it first, with `import.meta.url`.
 */
export function exitWithUsageIfAsked(moduleUrl: string): void {
  if (!process.argv.includes("--help") && !process.argv.includes("-h")) return;
  const source = readFileSync(fileURLToPath(moduleUrl), "utf8");
  const header = /^\/\*\*([\s\S]*?)\*\//.exec(source)?.[1] ?? "";
  const text = header
    .split("\n")
    .map((line) => line.replace(/^ \* ?/, ""))
    .join("\n")
    .trim();
  process.stdout.write(`${text}\n`);
  process.exit(0);
}
