import { join } from "node:path";
import { OUTPUT_FILES, type OutputState } from "./writeCredentialOutputs.js";
import { readIniSection } from "./replaceIniSection.js";
import { readOutputFile } from "./readOutputFile.js";
import type { AwsCredentials } from "../credentials/awsCredentials.js";

/** Credentials found in the output directory, with the non-secret facts of the state file. */
export interface AdoptedOutputs {
  creds: AwsCredentials;
  /** When they were written (epoch ms): the start of their lifetime for scheduling, and the last successful refresh. */
  writtenAtMs: number;
  /** notAfter of the certificate they were obtained with (epoch ms), when the state file records it. */
  certificateNotAfterMs?: number;
}

/**
 * Reads the credentials that `init` (or an earlier refresher) wrote into `dir` for `profile`, with their expiration
 * from the
 * state file. Returns undefined when anything is missing or inconsistent (the caller then obtains new ones). Files are
 * read as readOutputFile does: a symlink (OUTPUT_IS_SYMLINK), an oversized file (OUTPUT_FILE_TOO_LARGE) or something
 * that is not a readable regular file (OUTPUT_NOT_READABLE) is reported with its typed error.
 */
export async function readCredentialOutputs(dir: string, profile: string): Promise<AdoptedOutputs | undefined> {
  const stateText = await readOutputFile(join(dir, OUTPUT_FILES.state));
  const credentialsText = await readOutputFile(join(dir, OUTPUT_FILES.credentials));
  if (stateText === undefined || credentialsText === undefined) return undefined;
  let state: OutputState;
  try {
    state = JSON.parse(stateText) as OutputState;
  } catch {
    return undefined; // not a state file of ours: nothing to adopt
  }
  if (typeof state !== "object" || state === null) return undefined;
  const section = readIniSection(credentialsText, profile);
  if (!section || section.aws_access_key_id !== state.accessKeyId) return undefined;
  const expirationMs = Date.parse(state.expiration);
  const writtenAtMs = Date.parse(state.writtenAt);
  if (Number.isNaN(expirationMs) || Number.isNaN(writtenAtMs)) return undefined;
  const notAfterMs = Date.parse(state.certificate?.notAfter ?? "");
  return {
    writtenAtMs,
    ...(Number.isNaN(notAfterMs) ? {} : { certificateNotAfterMs: notAfterMs }),
    creds: {
      accessKeyId: section.aws_access_key_id,
      secretAccessKey: section.aws_secret_access_key ?? "",
      sessionToken: section.aws_session_token ?? "",
      expiration: state.expiration,
      expirationMs,
      roleArn: state.roleArn,
    },
  };
}
