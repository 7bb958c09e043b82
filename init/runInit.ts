import { readdir, readFile } from "node:fs/promises";
import type { CommandContext } from "../cli/commandSpec.js";
import type { SettingsValues } from "../lib/config/setting.js";
import { pipelineFromSettings, type PipelineSettings } from "../lib/pipeline/pipelineFromSettings.js";
import { obtainCredentials } from "../lib/pipeline/obtainCredentials.js";
import { writeCredentialOutputs } from "../lib/deliver/writeCredentialOutputs.js";
import { getCallerIdentity } from "../lib/sts/getCallerIdentity.js";
import { describeCertificate } from "../lib/x509/describeCertificate.js";
import { systemClock } from "../lib/time/clock.js";


interface InitValues extends PipelineSettings {
  outputDir: string;
  profile: string;
  fileMode: number;
  writeCredentials: boolean;
  writeConfig: boolean;
  writeProcessJson: boolean;
  verify: boolean;
  debug: boolean;
}

/** Runs `iamra-vault init` with resolved settings (loaded lazily by the command spec). */
export async function runInit(raw: SettingsValues, ctx: CommandContext): Promise<void> {
  const v = raw as unknown as InitValues;
  if (v.debug) ctx.log.level = "debug";
  const clock = systemClock;
  const { config, vault, stsRegion } = await pipelineFromSettings(
    v,
    { readFile: (p) => readFile(p, "utf8"), readDir: (p) => readdir(p), vaultTokenEnv: ctx.env.VAULT_TOKEN },
    { clock, log: ctx.log },
  );
  try {
    const started = clock.now();
    const result = await obtainCredentials(config, { vault, clock, log: ctx.log, signal: ctx.signal, userAgent: "iamra-vault init" });
    const cert = describeCertificate(result.identity.certificate);
    const written = await writeCredentialOutputs(
      result.credentials,
      {
        dir: v.outputDir,
        profile: v.profile,
        mode: v.fileMode,
        credentials: v.writeCredentials,
        config: v.writeConfig,
        processJson: v.writeProcessJson,
        region: stsRegion,
      },
      { roleArn: result.credentials.roleArn, certificate: { serial: cert.serial, notAfter: cert.notAfter, uriSans: cert.uriSans } },
      clock.now(),
    );
    ctx.log.info({ files: written, expiration: result.credentials.expiration, ms: clock.now() - started }, "credentials written");
    if (v.verify) {
      const who = await getCallerIdentity(result.credentials, {
        region: stsRegion,
        endpoint: v.stsEndpoint,
        timeoutMs: v.timeoutMs,
        maxAttempts: v.maxAttempts,
      });
      ctx.log.info({ arn: who.arn, account: who.account }, "credentials verified with sts");
    }
  } finally {
    vault.close();
  }
}
