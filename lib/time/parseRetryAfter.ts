/**
 * The wait an HTTP Retry-After header asks for, ms (RFC 9110 §10.2.3: delay-seconds or an HTTP-date), or undefined
 * when the header is absent or unreadable. A date in the past gives 0.
 */
export function parseRetryAfterMs(value: string | string[] | undefined, nowMs: number): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/^[A-Za-z]{3},/.test(text)) return undefined; // an HTTP-date starts with the day name ("Wed, 21 Oct 2015 …")
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
