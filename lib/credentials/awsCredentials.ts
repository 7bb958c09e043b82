/** Temporary AWS credentials as obtained from Roles Anywhere (or STS), and the check that they can be served. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Expiration exactly as the service wrote it (ISO 8601 UTC), copied verbatim into outputs. */
  expiration: string;
  /** Expiration as epoch milliseconds. */
  expirationMs: number;
  roleArn?: string;
  assumedRoleArn?: string;
  sourceIdentity?: string;
}

const REQUIRED = ["accessKeyId", "secretAccessKey", "sessionToken", "expiration"] as const;

/** Why `creds` cannot be served at `nowMs`, or undefined when they can. Never mentions secret values. */
export function credentialsProblem(creds: AwsCredentials | undefined, nowMs: number): string | undefined {
  if (creds === null || typeof creds !== "object") return "no credentials object";
  for (const field of REQUIRED) {
    const value: unknown = creds[field]; // typed as string, but the object may come from a parsed answer or file
    if (typeof value !== "string" || value.trim() === "") return `${field} is missing or empty`;
  }
  if (typeof creds.expirationMs !== "number" || !Number.isFinite(creds.expirationMs)) {
    return "expirationMs is not a number";
  }
  const parsed = Date.parse(creds.expiration);
  if (Number.isNaN(parsed)) return `expiration "${creds.expiration}" is not a date`;
  if (Math.abs(parsed - creds.expirationMs) > 1000) {
    return `expiration "${creds.expiration}" disagrees with expirationMs`;
  }
  if (creds.expirationMs <= nowMs) return `already expired at ${creds.expiration}`;
  return undefined;
}
