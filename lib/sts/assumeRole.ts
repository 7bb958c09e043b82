import { callSts, stsError, type StsTarget } from "./stsCall.js";
import type { AwsCredentials } from "../credentials/awsCredentials.js";

/** Role chaining: which role to assume with the Roles Anywhere credentials. */
export interface AssumeRoleConfig {
  roleArn: string;
  roleSessionName: string;
  externalId?: string;
  durationSeconds?: number;
}

/**
 * STS AssumeRole with `creds` (role chaining, cross-account, external ID); returns the new credentials. Each request
 * ends within target.timeoutMs; `signal` (a stop) aborts the call at once with ABORTED.
 */
export async function assumeRole(
  creds: AwsCredentials,
  cfg: AssumeRoleConfig,
  target: StsTarget,
  signal?: AbortSignal,
): Promise<AwsCredentials> {
  const withId = cfg.externalId ? " with this external ID" : "";
  const hint =
    `the target role's trust policy must allow sts:AssumeRole from the Roles Anywhere role${withId}` +
    " (chaining caps sessions at 1 h)";
  return callSts(
    target,
    creds,
    "assume-role",
    signal,
    async (sts, client, abortSignal) => {
      const out = await client.send(
        new sts.AssumeRoleCommand({
          RoleArn: cfg.roleArn,
          RoleSessionName: cfg.roleSessionName,
          ExternalId: cfg.externalId,
          DurationSeconds: cfg.durationSeconds,
        }),
        { abortSignal },
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
        throw new Error("AssumeRole answered without complete credentials");
      }
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: c.Expiration.toISOString().replace(/\.\d{3}Z$/, "Z"),
        expirationMs: c.Expiration.getTime(),
        roleArn: cfg.roleArn,
        assumedRoleArn: out.AssumedRoleUser?.Arn,
      };
    },
    (err) => stsError("assume-role", err, hint),
  );
}
