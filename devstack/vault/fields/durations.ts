/** Vault's duration parsing and Go-style duration printing (parseutil.ParseDurationSecond, time.Duration.String). */

const UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Parses "1h", "90m", "1h30m", "3600", 3600 or "5d" into whole seconds; throws Error with Go's message on bad input.
 */
export function parseDurationSeconds(input: unknown): number {
  if (typeof input === "number") {
    if (!Number.isFinite(input)) throw new Error(`time: invalid duration "${String(input)}"`);
    return Math.trunc(input);
  }
  if (typeof input !== "string") throw new Error(`time: invalid duration "${String(input)}"`);
  const s = input.trim();
  if (s === "") return 0;
  if (/^-?\d+$/.test(s)) return Number(s);
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h|d)/gy;
  let total = 0;
  let pos = 0;
  let sign = 1;
  let body = s;
  if (body.startsWith("-") || body.startsWith("+")) {
    sign = body.startsWith("-") ? -1 : 1;
    body = body.slice(1);
  }
  re.lastIndex = 0;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    total += Number(m[1]) * UNIT_SECONDS[m[2]!]!;
    pos = re.lastIndex;
  }
  if (pos !== body.length || body.length === 0) {
    const unit = /\d([^\d.]+)$/.exec(body)?.[1];
    if (unit && !(unit in UNIT_SECONDS)) throw new Error(`time: unknown unit "${unit}" in duration "${s}"`);
    throw new Error(`time: invalid duration "${s}"`);
  }
  return Math.trunc(sign * total);
}

/** Formats whole seconds the way Go's time.Duration.String() does: "768h0m0s", "1m30s", "45s", "0s". */
export function formatGoDuration(seconds: number): string {
  const neg = seconds < 0;
  let s = Math.abs(Math.trunc(seconds));
  if (s === 0) return "0s";
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const text = h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`;
  return neg ? `-${text}` : text;
}

/**
 * Formats whole seconds as Vault's humanDuration does for the token renewal warning: Go's format without zero
 * minutes and seconds ("1h", "1m", "1h30s", "1m30s", "6s").
 */
export function formatHumanDuration(seconds: number): string {
  let text = formatGoDuration(seconds);
  if (text.endsWith("m0s")) text = text.slice(0, -2);
  const idx = text.indexOf("h0m");
  return idx > 0 ? text.slice(0, idx + 1) + text.slice(idx + 3) : text;
}

/** Formats epoch milliseconds like Go's time.RFC3339Nano in UTC (fraction without trailing zeros). */
export function formatRfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2024-01-02T03:04:05.678Z
  return iso.replace(/\.(\d+)Z$/, (_all, frac: string) => {
    const trimmed = frac.replace(/0+$/, "");
    return trimmed ? `.${trimmed}Z` : "Z";
  });
}
