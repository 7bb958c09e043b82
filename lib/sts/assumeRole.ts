import type { AwsCredentials } from "../rolesanywhere/parseCreateSessionResponse.js";
import { stsClient, stsError, type StsTarget } from "./stsCall.js";

/** Role chaining: which role to assume with the Roles Anywhere credentials. */
export interface AssumeRoleConfig {
  roleArn: string;
  roleSessionName: string;
  externalId?: string;
  durationSeconds?: number;
}

/** STS AssumeRole with `creds` (role chaining, cross-account, external ID); returns the new credentials. */
export async function assumeRole(creds: AwsCredentials, cfg: AssumeRoleConfig, target: StsTarget): Promise<AwsCredentials> {
  const { sts, client } = await stsClient(target, creds);
  try {
    const out = await client.send(
      new sts.AssumeRoleCommand({
        RoleArn: cfg.roleArn,
        RoleSessionName: cfg.roleSessionName,
        ExternalId: cfg.externalId,
        DurationSeconds: cfg.durationSeconds,
      }),
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
  } catch (err) {
    throw stsError(
      "assume-role",
      err,
      `the target role's trust policy must allow sts:AssumeRole from the Roles Anywhere role${cfg.externalId ? " with this external ID" : ""} (chaining caps sessions at 1 h)`,
    );
  } finally {
    client.destroy();
  }
}
