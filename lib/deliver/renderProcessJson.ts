import type { AwsCredentials } from "../credentials/awsCredentials.js";

/**
 * The credential_process JSON (Version 1), keys in the official helper's order, no trailing newline.
 * `<`, `>` and `&` are escaped as Go's encoder does, so the bytes match the official helper's output.
 */
export function renderProcessJson(creds: AwsCredentials): string {
  return JSON.stringify({
    Version: 1,
    AccessKeyId: creds.accessKeyId,
    SecretAccessKey: creds.secretAccessKey,
    SessionToken: creds.sessionToken,
    Expiration: creds.expiration,
  }).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}
