import { IamraError } from "../errors.js";
import type { ErrorCode } from "../errorCodes.js";
import { parseArn } from "../rolesanywhere/arn.js";
import { rolesAnywhereEndpoint } from "../rolesanywhere/rolesAnywhereEndpoint.js";
import type { ProxyEnvironment } from "../net/proxyEnvironment.js";
import { createKeepAliveAgents } from "../rolesanywhere/sendHttpRequest.js";
import { readCaFile } from "./readCaCertificates.js";
import type { SessionConfig } from "./obtainCredentials.js";
import type { StsTarget } from "../sts/stsCall.js";
import type { ValuesOf } from "../config/setting.js";
import type { rolesAnywhereSettings } from "../config/settings/rolesAnywhereSettings.js";
import type { stsSettings } from "../config/settings/stsSettings.js";
import type { endpointVariantSettings } from "../config/settings/networkSettings.js";
import type { throttleBudgetSetting } from "../config/settings/throttleSettings.js";
import type { outputSettings } from "../config/settings/outputSettings.js";

/** Reads a file named by a setting (injected, so lib/ does no hidden I/O). */
export interface FileReader {
  readFile: (path: string) => Promise<string>;
}

/**
 * The resolved Roles Anywhere settings, plus what init and the refresher add (STS steps, endpoint variants, throttle
 * budget, the config file's region) and the proxies the command read from its environment.
 */
export type SessionSettings = ValuesOf<typeof rolesAnywhereSettings> &
  Partial<ValuesOf<typeof stsSettings>> &
  Partial<ValuesOf<typeof endpointVariantSettings>> &
  Partial<ValuesOf<[typeof throttleBudgetSetting]>> &
  Partial<Pick<ValuesOf<typeof outputSettings>, "awsRegion">> & {
    /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY, read from the environment by the command. */
    proxies?: ProxyEnvironment;
  };

/**
 * The Roles Anywhere part of the settings (no Vault): session, transport, retries, role chaining and the STS region.
 * The settings passed sessionProblems at start-up (ARNs, endpoint); only the CA bundle's content is checked here.
 */
export async function sessionFromSettings(
  s: SessionSettings,
  io: FileReader,
): Promise<SessionConfig & { stsRegion: string }> {
  const anchorRegion = parseArn(s.trustAnchorArn, "trust anchor ARN").region;
  const stsRegion = s.awsRegion ?? anchorRegion;
  const endpoint = rolesAnywhereEndpoint({
    region: s.region ?? anchorRegion,
    endpoint: s.endpoint,
    useFips: s.useFipsEndpoint === true,
    useDualStack: s.useDualstackEndpoint === true,
  });
  const caPem = s.caBundle ? await readCaFile(io, s.caBundle, "--ca-bundle") : undefined;
  return {
    stsRegion,
    request: {
      trustAnchorArn: s.trustAnchorArn,
      profileArn: s.profileArn,
      roleArn: s.roleArn,
      durationSeconds: s.sessionDurationSeconds,
      roleSessionName: s.roleSessionName,
      region: s.region,
      endpoint,
    },
    transport: {
      timeoutMs: s.timeoutMs,
      rejectUnauthorized: s.verifySsl,
      caPem,
      proxies: s.proxies,
      agents: createKeepAliveAgents(),
    },
    maxAttempts: s.maxAttempts,
    throttleBudgetMs: s.throttleBudgetMs,
    assumeRole: s.assumeRoleArn
      ? {
          roleArn: s.assumeRoleArn,
          roleSessionName: s.assumeRoleSessionName ?? "iamra-vault",
          externalId: s.externalId,
          sts: stsTargetFrom(s, stsRegion, caPem),
        }
      : undefined,
  };
}

/**
 * Where STS is reached for role chaining and --verify: region, endpoint or FIPS/dual-stack choice, proxies, and the
 * CA bundle (`caPem`, the --ca-bundle file's text) and --no-verify-ssl, which apply to STS as to Roles Anywhere.
 */
export function stsTargetFrom(s: SessionSettings, region: string, caPem: string | undefined): StsTarget {
  return {
    region,
    endpoint: s.stsEndpoint,
    timeoutMs: s.timeoutMs,
    maxAttempts: s.maxAttempts,
    useFips: s.useFipsEndpoint === true,
    useDualStack: s.useDualstackEndpoint === true,
    proxies: s.proxies,
    caPem,
    rejectUnauthorized: s.verifySsl,
  };
}

/** A file read after start-up (again at every login): what it is, and the code and hint when it cannot be read. */
export interface RuntimeFile {
  what: string;
  code: ErrorCode;
  hint: string;
}

/** The service-account token (re-read at every login: the kubelet rotates projected tokens). */
export const SA_TOKEN_FILE: RuntimeFile = {
  what: "service-account token",
  code: "SA_TOKEN_UNREADABLE",
  hint: "mount the service-account token (automountServiceAccountToken or a projected volume) or set --sa-token-file",
};

/** The Vault token file (re-read at every login: Vault Agent may rewrite it). */
export const VAULT_TOKEN_FILE: RuntimeFile = {
  what: "Vault token",
  code: "FILE_UNREADABLE",
  hint: "check the path and permissions",
};

/** Reads a file named by a setting after start-up, with the typed error of its kind (`file`). */
export async function readRequired(io: FileReader, path: string, file: RuntimeFile): Promise<string> {
  try {
    return await io.readFile(path);
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    throw new IamraError({
      code: file.code,
      message: `cannot read the ${file.what} file ${path} (${code ?? (cause as Error).message})`,
      hint: file.hint,
      step: "read-config",
      details: { path, errno: code },
      cause,
    });
  }
}
