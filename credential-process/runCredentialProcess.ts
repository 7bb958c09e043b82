import { readFileSync } from "node:fs";
import type { CommandContext } from "../cli/commandSpec.js";
import type { CredentialProcessValues } from "./credentialProcessCommand.js";
import type { IdentitySource } from "../lib/identity/identitySource.js";
import { loadIdentityFiles } from "../lib/x509/loadIdentityFiles.js";
import { obtainCredentials } from "../lib/pipeline/obtainCredentials.js";
import { sessionFromSettings, type SessionSettings } from "../lib/pipeline/sessionFromSettings.js";
import { renderProcessJson } from "../lib/deliver/renderProcessJson.js";
import { writeOutput } from "../lib/deliver/writeOutput.js";
import { proxyEnvironmentFrom } from "../lib/net/proxyEnvironment.js";
import { systemClock } from "../lib/time/clock.js";
import { IamraError } from "../lib/errors.js";

/** credential-process's values with the proxies read from its environment. */
type Values = CredentialProcessValues & Pick<SessionSettings, "proxies">;

/** Runs `iamra-vault credential-process` with resolved settings (loaded lazily by the command spec). */
export async function runCredentialProcess(values: CredentialProcessValues, ctx: CommandContext): Promise<void> {
  const v: Values = { ...values, proxies: proxyEnvironmentFrom(ctx.env) };
  // Files are read synchronously: a one-shot command has nothing to do meanwhile, and the first asynchronous file
  // operation of a process starts libuv's thread pool, which costs start-up time.
  const settings = await sessionFromSettings(v, { readFile: async (p) => readFileSync(p, "utf8") });
  // One call per process: no kept connections, so a direct call goes out on a connection of its own without node:http
  const session = { ...settings, transport: { ...settings.transport, agents: undefined } };
  const password = await readPassword(v, ctx.env);
  const files = { certificate: v.certificate, privateKey: v.privateKey, intermediates: v.intermediates, password };
  // Read once, strictly: the errors of loadIdentityFiles as they are. Not the file identity source, whose watcher
  // (node:fs/promises, which loads Node's readline and stream modules) a single call never uses.
  const identity: IdentitySource = {
    get: () => loadIdentityFiles(files, { readFile: async (p) => readFileSync(p), nowMs: systemClock.now() }),
    close: async () => undefined,
  };
  const { credentials: creds } = await obtainCredentials(identity, session, {
    clock: systemClock,
    log: ctx.log,
    signal: ctx.signal,
    userAgent: "iamra-vault credential-process",
    stepLogLevel: "debug",
  });
  ctx.log.debug({ accessKeyId: creds.accessKeyId, expiration: creds.expiration }, "credentials obtained");
  const json = renderProcessJson(creds);
  await writeOutput(ctx.stdout, json);
}

async function readPassword(v: Values, env: Record<string, string | undefined>): Promise<string | undefined> {
  if (v.pkcs8PasswordFile) {
    try {
      return readFileSync(v.pkcs8PasswordFile, "utf8").replace(/\r?\n$/, "");
    } catch (cause) {
      const code = (cause as { code?: string }).code;
      // like every other unreadable file (certificate, key): a runtime failure, exit 1
      throw new IamraError({
        code: "FILE_UNREADABLE",
        message: `cannot read the --pkcs8-password-file ${v.pkcs8PasswordFile} (${code ?? (cause as Error).message})`,
        hint: code === "ENOENT" ? "check the path" : "check the file's permissions",
        step: "load-identity",
        details: { path: v.pkcs8PasswordFile, errno: code },
        cause,
      });
    }
  }
  return env.IAMRA_PKCS8_PASSWORD;
}
