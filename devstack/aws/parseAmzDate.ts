/** X-Amz-Date parsing and the clock-skew window AWS allows for signed requests. */

/** Largest difference AWS accepts between a request's X-Amz-Date and the server's clock (5 minutes). */
export const MAX_SKEW_MS = 5 * 60 * 1000;

/** Parses YYYYMMDDTHHMMSSZ (UTC) to epoch ms; undefined when malformed. */
export function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isNaN(ms) ? undefined : ms;
}
