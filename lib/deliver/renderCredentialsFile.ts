import { replaceIniSection } from "./replaceIniSection.js";
import type { AwsCredentials } from "../credentials/awsCredentials.js";

/**
 * Renders an AWS shared credentials file: `profile` gets the three credential keys; every other line of `existing`
 * (other profiles, comments) is kept byte for byte. Values are written unquoted, since botocore and the JS SDK do not
 * strip quotes and session tokens contain "=".
 */
export function renderCredentialsFile(existing: string | undefined, profile: string, creds: AwsCredentials): string {
  return replaceIniSection(existing ?? "", profile, [
    ["aws_access_key_id", creds.accessKeyId],
    ["aws_secret_access_key", creds.secretAccessKey],
    ["aws_session_token", creds.sessionToken],
  ]);
}

/**
 * Renders an AWS config file where `profile` (section `[default]` or `[profile <name>]`) holds `values`; the rest is
 * kept.
 */
export function renderConfigFile(
  existing: string | undefined,
  profile: string,
  values: ReadonlyArray<[string, string]>,
): string {
  return replaceIniSection(existing ?? "", profile === "default" ? "default" : `profile ${profile}`, values);
}
