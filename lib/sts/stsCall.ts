import { IamraError } from "../errors.js";
import type { AwsCredentials } from "../rolesanywhere/parseCreateSessionResponse.js";

/** Where and how to reach STS. */
export interface StsTarget {
  region: string;
  /** Custom endpoint (AWS_ENDPOINT_URL_STS), e.g. the devstack's. */
  endpoint?: string;
  timeoutMs: number;
  maxAttempts: number;
}

/** Builds an STS client from @aws-sdk/client-sts, loaded only when STS is used (keeps init fast without it). */
export async function stsClient(target: StsTarget, creds: AwsCredentials) {
  const sts = await import("@aws-sdk/client-sts");
  const client = new sts.STSClient({
    region: target.region,
    endpoint: target.endpoint,
    maxAttempts: target.maxAttempts,
    credentials: {
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
      sessionToken: creds.sessionToken,
      expiration: new Date(creds.expirationMs),
    },
    requestHandler: { requestTimeout: target.timeoutMs, connectionTimeout: target.timeoutMs },
  });
  return { sts, client };
}

/** Wraps an STS SDK failure as a typed error for `step`. */
export function stsError(step: string, err: unknown, hint: string): IamraError {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  const status = e.$metadata?.httpStatusCode;
  return new IamraError({
    code: step === "assume-role" ? "STS_ASSUME_ROLE_FAILED" : "STS_VERIFY_FAILED",
    message: `STS ${step} failed${describe([status ? `HTTP ${status}` : undefined, e.name])}: ${e.message ?? String(err)}`,
    hint,
    retryable: status === undefined || status >= 500 || status === 429 || e.name === "Throttling",
    step,
    status,
    cause: err,
  });
}

/** " (a, b)" for the present parts, "" when none. */
function describe(parts: Array<string | undefined>): string {
  const present = parts.filter((p): p is string => Boolean(p));
  return present.length ? ` (${present.join(", ")})` : "";
}
