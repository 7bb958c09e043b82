/** Test helper: a real project logger (with its redaction) whose JSON lines are collected in memory. */
import { createLogger, type Logger } from "../../lib/log.js";

/** A debug-level logger plus the lines it wrote and their concatenation. */
export function captureLogs(): { log: Logger; lines: string[]; text: () => string } {
  const lines: string[] = [];
  const log = createLogger({ level: "debug", destination: { write: (line: string) => void lines.push(line) } });
  return { log, lines, text: () => lines.join("") };
}
