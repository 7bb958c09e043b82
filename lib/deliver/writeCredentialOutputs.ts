import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { AwsCredentials } from "../rolesanywhere/parseCreateSessionResponse.js";
import { renderConfigFile, renderCredentialsFile } from "./renderCredentialsFile.js";
import { renderProcessJson } from "./renderProcessJson.js";
import { writeFileAtomic } from "./writeFileAtomic.js";
import { credentialsProblem } from "./credentialStore.js";
import { IamraError } from "../errors.js";
import { describeCertificate } from "../x509/describeCertificate.js";
import type { LoadedIdentity } from "../x509/loadIdentityFiles.js";

/** File names inside the output directory. */
export const OUTPUT_FILES = {
  credentials: "credentials",
  config: "config",
  processJson: "credential-process.json",
  state: "iamra-state.json",
} as const;

/** Which files to write and how. */
export interface OutputConfig {
  dir: string;
  profile: string;
  mode: number;
  credentials: boolean;
  config: boolean;
  processJson: boolean;
  region: string;
}

/** The output settings (lib/config/settings/outputSettings.ts) as resolved values. */
export interface OutputSettingsValues {
  outputDir: string;
  profile: string;
  fileMode: number;
  writeCredentials: boolean;
  writeConfig: boolean;
  writeProcessJson: boolean;
}

/** The OutputConfig for resolved output settings; `region` goes into the config file. */
export function outputConfigFrom(v: OutputSettingsValues, region: string): OutputConfig {
  return { dir: v.outputDir, profile: v.profile, mode: v.fileMode, credentials: v.writeCredentials, config: v.writeConfig, processJson: v.writeProcessJson, region };
}

/** True when any file output is enabled. */
export function writesAnyFile(out: OutputConfig): boolean {
  return out.credentials || out.config || out.processJson;
}

/** Non-secret facts written next to the credentials, so a refresher can adopt what init wrote. */
export interface OutputState {
  accessKeyId: string;
  expiration: string;
  roleArn?: string;
  certificate?: { serial: string; notAfter: string; uriSans: string[] };
  writtenAt: string;
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    if (code === "ENOENT") return undefined;
    throw new IamraError({
      code: "OUTPUT_NOT_READABLE",
      message: `cannot read the existing ${path} (${code ?? (cause as Error).message}) to keep its other profiles; it was left unchanged`,
      hint: "make the file readable by this user, or remove it",
      step: "write-output",
      details: { path, errno: code },
      cause,
    });
  }
}

/**
 * Writes the enabled outputs, each atomically; every file is rendered before the first is replaced, so an unparseable
 * existing file stops everything with nothing changed. Returns the paths written.
 */
export async function writeCredentialOutputs(
  creds: AwsCredentials,
  out: OutputConfig,
  identity: LoadedIdentity,
  nowMs: number,
): Promise<string[]> {
  const problem = credentialsProblem(creds, nowMs);
  if (problem) {
    throw new IamraError({
      code: "CREDENTIALS_REJECTED",
      message: `refusing to write unusable credentials (${problem}); existing files are unchanged`,
      hint: "the upstream answered with credentials that cannot be used; check the clock and the endpoint",
      step: "write-output",
    });
  }
  const cert = describeCertificate(identity.certificate);
  const state = { roleArn: creds.roleArn, certificate: { serial: cert.serial, notAfter: cert.notAfter, uriSans: cert.uriSans } };
  const files: Array<[string, string]> = [];
  if (out.credentials) {
    const path = join(out.dir, OUTPUT_FILES.credentials);
    files.push([path, renderCredentialsFile(await readIfExists(path), out.profile, creds)]);
  }
  if (out.config) {
    const path = join(out.dir, OUTPUT_FILES.config);
    files.push([path, renderConfigFile(await readIfExists(path), out.profile, [["region", out.region]])]);
  }
  if (out.processJson) files.push([join(out.dir, OUTPUT_FILES.processJson), renderProcessJson(creds)]);
  const fullState: OutputState = {
    accessKeyId: creds.accessKeyId,
    expiration: creds.expiration,
    writtenAt: new Date(nowMs).toISOString(),
    ...state,
  };
  files.push([join(out.dir, OUTPUT_FILES.state), JSON.stringify(fullState, null, 2) + "\n"]);
  for (const [path, content] of files) await writeFileAtomic(path, content, { mode: out.mode, nowMs });
  return files.map(([p]) => p);
}
