import { readFile } from "node:fs/promises";
import type { CommandSpec } from "../cli/commandSpec.js";
import { rolesAnywhereSettings } from "../lib/config/settings/rolesAnywhereSettings.js";
import { certificateFileSettings } from "../lib/config/settings/certificateFileSettings.js";
import { debugSetting } from "../lib/config/settings/logSettings.js";
import { loadIdentityFiles } from "../lib/x509/loadIdentityFiles.js";
import { createSession } from "../lib/rolesanywhere/createSession.js";
import { transportFromSettings } from "../lib/rolesanywhere/transportFromSettings.js";
import { renderProcessJson } from "../lib/deliver/renderProcessJson.js";
import { systemClock } from "../lib/time/clock.js";
import { ConfigError } from "../lib/errors.js";

const settings = [...certificateFileSettings, ...rolesAnywhereSettings, debugSetting];

interface Values {
  certificate: string;
  privateKey: string;
  intermediates?: string;
  pkcs8PasswordFile?: string;
  trustAnchorArn: string;
  profileArn: string;
  roleArn: string;
  sessionDurationSeconds: number;
  roleSessionName?: string;
  region?: string;
  endpoint?: string;
  caBundle?: string;
  verifySsl: boolean;
  timeoutMs: number;
  maxAttempts: number;
  debug: boolean;
}

/** `iamra-vault credential-process`: drop-in for `aws_signing_helper credential-process` (same flags, same stdout JSON). */
export const credentialProcessCommand: CommandSpec = {
  name: "credential-process",
  summary: "print temporary credentials as credential_process JSON, from certificate and key files (aws_signing_helper compatible)",
  settings,
  logToStderr: true,
  defaultLogLevel: "warn",
  helpText: [
    "Use it from an AWS config profile:",
    "  [profile app]",
    "  credential_process = iamra-vault credential-process --certificate /certs/tls.crt --private-key /certs/tls.key \\",
    "      --trust-anchor-arn arn:aws:rolesanywhere:... --profile-arn arn:aws:rolesanywhere:... --role-arn arn:aws:iam::...",
    "stdout carries only the JSON (Version 1, no trailing newline); errors go to stderr; exit 1 on failure, 2 on usage errors.",
    "Differences from aws_signing_helper: flags win over AWS_ENDPOINT_URL_ROLESANYWHERE, every call has a timeout, the",
    "key/certificate pair and chain are checked locally first, and --debug never prints secrets.",
  ].join("\n"),
  run: async (raw, ctx) => {
    const v = raw as unknown as Values;
    if (v.debug) ctx.log.level = "debug";
    const password = await readPassword(v, ctx.env);
    const identity = await loadIdentityFiles(
      { certificate: v.certificate, privateKey: v.privateKey, intermediates: v.intermediates, password },
      { readFile: (p) => readFile(p), nowMs: systemClock.now() },
    );
    const caPem = v.caBundle ? await readFile(v.caBundle, "utf8") : undefined;
    const creds = await createSession(
      identity,
      {
        trustAnchorArn: v.trustAnchorArn,
        profileArn: v.profileArn,
        roleArn: v.roleArn,
        durationSeconds: v.sessionDurationSeconds,
        roleSessionName: v.roleSessionName,
        region: v.region,
        endpoint: v.endpoint,
      },
      {
        clock: systemClock,
        log: ctx.log,
        transport: transportFromSettings(v, caPem),
        maxAttempts: v.maxAttempts,
        signal: ctx.signal,
        userAgent: "iamra-vault credential-process",
      },
    );
    ctx.log.debug({ accessKeyId: creds.accessKeyId, expiration: creds.expiration }, "credentials obtained");
    await new Promise<void>((resolve, reject) => ctx.stdout.write(renderProcessJson(creds), (e) => (e ? reject(e) : resolve())));
  },
};

async function readPassword(v: Values, env: Record<string, string | undefined>): Promise<string | undefined> {
  if (v.pkcs8PasswordFile) {
    try {
      return (await readFile(v.pkcs8PasswordFile, "utf8")).replace(/\r?\n$/, "");
    } catch (cause) {
      throw new ConfigError({
        message: `cannot read --pkcs8-password-file ${v.pkcs8PasswordFile}`,
        hint: "check the path and permissions",
        cause,
      });
    }
  }
  return env.IAMRA_PKCS8_PASSWORD;
}
