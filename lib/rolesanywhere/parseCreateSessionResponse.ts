import { IamraError } from "../errors.js";
import type { AwsCredentials } from "../credentials/awsCredentials.js";

function fail(reason: string): IamraError {
  return new IamraError({
    code: "RA_BAD_RESPONSE",
    message: `Roles Anywhere CreateSession answered with an unusable body: ${reason}`,
    hint: "check that the endpoint really is IAM Roles Anywhere (--endpoint / AWS_ENDPOINT_URL_ROLESANYWHERE)",
    retryable: false,
    step: "create-session",
  });
}

/** Validates a CreateSession 2xx body and returns credentialSet[0] as AwsCredentials (never partial ones). */
export function parseCreateSessionResponse(text: string): AwsCredentials {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw fail("not JSON");
  }
  const set = (body as { credentialSet?: unknown }).credentialSet;
  if (!Array.isArray(set) || set.length === 0)
    throw fail("no credentialSet (unable to obtain temporary security credentials)");
  const first = set[0] as Record<string, unknown>;
  const c = first.credentials as Record<string, unknown> | undefined;
  for (const field of ["accessKeyId", "secretAccessKey", "sessionToken", "expiration"]) {
    if (typeof c?.[field] !== "string" || (c[field] as string) === "") throw fail(`credentials.${field} is missing`);
  }
  const expirationMs = Date.parse(c!.expiration as string);
  if (Number.isNaN(expirationMs)) throw fail(`credentials.expiration "${String(c!.expiration)}" is not a date`);
  const user = first.assumedRoleUser as { arn?: unknown } | undefined;
  return {
    accessKeyId: c!.accessKeyId as string,
    secretAccessKey: c!.secretAccessKey as string,
    sessionToken: c!.sessionToken as string,
    expiration: c!.expiration as string,
    expirationMs,
    roleArn: typeof first.roleArn === "string" ? first.roleArn : undefined,
    assumedRoleArn: typeof user?.arn === "string" ? user.arn : undefined,
    sourceIdentity: typeof first.sourceIdentity === "string" ? first.sourceIdentity : undefined,
  };
}
