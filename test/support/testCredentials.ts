/** Test helper: well-formed AwsCredentials with recognisable, per-call unique values. */
import type { AwsCredentials } from "../../lib/credentials/awsCredentials.js";

let counter = 0;

/**
 * Credentials expiring at `expirationMs` (rounded to whole seconds, as AWS writes them), with unique key and secrets.
 */
export function testCredentials(expirationMs: number, overrides: Partial<AwsCredentials> = {}): AwsCredentials {
  counter++;
  const whole = Math.floor(expirationMs / 1000) * 1000;
  return {
    accessKeyId: `ASIATESTKEY${String(counter).padStart(9, "0")}`,
    secretAccessKey: `secret-${counter}-PLANTEDSECRETVALUE`,
    sessionToken: `session-${counter}-PLANTEDSESSIONTOKEN`,
    expiration: new Date(whole).toISOString().replace(/\.\d{3}Z$/, "Z"),
    expirationMs: whole,
    roleArn: "arn:aws:iam::123456789012:role/app",
    ...overrides,
  };
}
