import { join } from "node:path";
import type { ValuesOf } from "../config/setting.js";
import type { outputSettings } from "../config/settings/outputSettings.js";
import { renderConfigFile, renderCredentialsFile } from "./renderCredentialsFile.js";
import { renderProcessJson } from "./renderProcessJson.js";
import { writeFileSet, type WriteFileSetFs } from "./writeFileSet.js";
import { readOutputFile } from "./readOutputFile.js";
import { IamraError } from "../errors.js";
import { describeCertificate } from "../x509/describeCertificate.js";
import type { X509Identity } from "../identity/x509Identity.js";
import type { X509Certificate } from "node:crypto";
import { credentialsProblem, type AwsCredentials } from "../credentials/awsCredentials.js";

/** File names inside the output directory. */
export const OUTPUT_FILES = {
  credentials: "credentials",
  config: "config",
  processJson: "credential-process.json",
  state: "iamra-state.json",
  endpointToken: "endpoint-token",
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

/** The output settings (lib/config/settings/outputSettings.ts) as resolved values, without the region. */
export type OutputSettingsValues = Omit<ValuesOf<typeof outputSettings>, "awsRegion">;

/** The OutputConfig for resolved output settings; `region` goes into the config file. */
export function outputConfigFrom(v: OutputSettingsValues, region: string): OutputConfig {
  return {
    dir: v.outputDir,
    profile: v.profile,
    mode: v.fileMode,
    credentials: v.writeCredentials,
    config: v.writeConfig,
    processJson: v.writeProcessJson,
    region,
  };
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

/**
 * Writes the enabled outputs as one set (writeFileSet): every file is rendered and written to a temp file before the
 * first is replaced, so an unparseable, oversized or symlinked existing file, or a full disk, stops everything with
 * nothing changed. Existing files are read without following links. Returns the paths written.
 */
export async function writeCredentialOutputs(
  creds: AwsCredentials,
  out: OutputConfig,
  identity: X509Identity,
  nowMs: number,
  deps: { fs?: Partial<WriteFileSetFs>; syncDirectory?: boolean } = {},
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
  const state = { roleArn: creds.roleArn, certificate: stateCertificate(identity.certificate) };
  const files: Array<[string, string]> = [];
  if (out.credentials) {
    const path = join(out.dir, OUTPUT_FILES.credentials);
    files.push([path, renderCredentialsFile(await readOutputFile(path), out.profile, creds)]);
  }
  if (out.config) {
    const path = join(out.dir, OUTPUT_FILES.config);
    files.push([path, renderConfigFile(await readOutputFile(path), out.profile, [["region", out.region]])]);
  }
  if (out.processJson) files.push([join(out.dir, OUTPUT_FILES.processJson), renderProcessJson(creds)]);
  const fullState: OutputState = {
    accessKeyId: creds.accessKeyId,
    expiration: creds.expiration,
    writtenAt: new Date(nowMs).toISOString(),
    ...state,
  };
  files.push([join(out.dir, OUTPUT_FILES.state), JSON.stringify(fullState, null, 2) + "\n"]);
  await writeFileSet(
    files.map(([path, data]) => ({ path, data })),
    { mode: out.mode, nowMs, fs: deps.fs, syncDirectory: deps.syncDirectory },
  );
  return files.map(([p]) => p);
}

/** The certificate facts of the state file, worked out once per certificate (a refresher reuses one for hours). */
const stateCertificates = new WeakMap<X509Certificate, NonNullable<OutputState["certificate"]>>();

function stateCertificate(certificate: X509Certificate): NonNullable<OutputState["certificate"]> {
  let facts = stateCertificates.get(certificate);
  if (!facts) {
    const { serial, notAfter, uriSans } = describeCertificate(certificate);
    facts = { serial, notAfter, uriSans };
    stateCertificates.set(certificate, facts);
  }
  return facts;
}
