import type { IssuedSession } from "../../devstack/aws/sessionStore.js";
import type { AwsCredentials } from "../../lib/credentials/awsCredentials.js";

/** The credentials of a session the devstack's session store issued, as the Roles Anywhere step hands them on. */
export function credentialsOf(s: IssuedSession): AwsCredentials {
  return {
    accessKeyId: s.accessKeyId,
    secretAccessKey: s.secretAccessKey,
    sessionToken: s.sessionToken,
    expiration: s.expiration.toISOString(),
    expirationMs: s.expiration.getTime(),
    roleArn: s.roleArn,
  };
}
