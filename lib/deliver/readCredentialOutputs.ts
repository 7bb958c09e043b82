import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { AwsCredentials } from "../rolesanywhere/parseCreateSessionResponse.js";
import { OUTPUT_FILES, type OutputState } from "./writeCredentialOutputs.js";
import { readIniSection } from "./replaceIniSection.js";

/**
 * Reads the credentials that `init` (or an earlier refresher) wrote into `dir` for `profile`, with their expiration from the
 * state file. Returns undefined when anything is missing, unreadable or inconsistent (the caller then obtains new ones).
 */
export async function readCredentialOutputs(dir: string, profile: string): Promise<{ creds: AwsCredentials; writtenAtMs: number } | undefined> {
  try {
    const state = JSON.parse(await readFile(join(dir, OUTPUT_FILES.state), "utf8")) as OutputState;
    const section = readIniSection(await readFile(join(dir, OUTPUT_FILES.credentials), "utf8"), profile);
    if (!section || section.aws_access_key_id !== state.accessKeyId) return undefined;
    const expirationMs = Date.parse(state.expiration);
    const writtenAtMs = Date.parse(state.writtenAt);
    if (Number.isNaN(expirationMs) || Number.isNaN(writtenAtMs)) return undefined;
    return {
      writtenAtMs,
      creds: {
        accessKeyId: section.aws_access_key_id,
        secretAccessKey: section.aws_secret_access_key ?? "",
        sessionToken: section.aws_session_token ?? "",
        expiration: state.expiration,
        expirationMs,
        roleArn: state.roleArn,
      },
    };
  } catch {
    return undefined; // nothing to adopt: no files yet, or files from something else
  }
}
