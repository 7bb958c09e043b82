import { IamraError, isIamraError } from "../errors.js";
import type http from "node:http";
import type https from "node:https";
import { caSecureContext } from "../net/caSecureContext.js";
import { createProxyAgent } from "../net/createProxyAgent.js";
import { httpsModule } from "../net/httpsModule.js";
import { hasProxy, type ProxyEnvironment } from "../net/proxyEnvironment.js";
import { stoppedError, throwIfStopped, untilStopped } from "../time/stopSignal.js";
import type { Logger } from "../log.js";
import { sdkLogger } from "./sdkLogger.js";
import type { AwsCredentials } from "../credentials/awsCredentials.js";

/** Where and how to reach STS. */
export interface StsTarget {
  region: string;
  /** Custom endpoint (AWS_ENDPOINT_URL_STS), e.g. the devstack's. */
  endpoint?: string;
  /** Longest wait for one request (connect, send, answer), ms. */
  timeoutMs: number;
  maxAttempts: number;
  /** The STS FIPS endpoint (AWS_USE_FIPS_ENDPOINT); ignored with an explicit endpoint. */
  useFips?: boolean;
  /** The STS dual-stack endpoint (AWS_USE_DUALSTACK_ENDPOINT); ignored with an explicit endpoint. */
  useDualStack?: boolean;
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY, read by the command. */
  proxies?: ProxyEnvironment;
  /** PEM of the CA certificates to trust instead of the default roots (--ca-bundle / AWS_CA_BUNDLE). */
  caPem?: string;
  /** false with --no-verify-ssl (tests only); default true. */
  rejectUnauthorized?: boolean;
  /** Receives the SDK's own log lines (they would otherwise go to the console raw). */
  log?: Logger;
}

type StsModule = typeof import("@aws-sdk/client-sts");
type StsClient = InstanceType<StsModule["STSClient"]>;

/** Builds an STS client from @aws-sdk/client-sts, loaded only when STS is used (keeps init fast without it). */
export async function stsClient(target: StsTarget, creds: AwsCredentials) {
  const sts = await import("@aws-sdk/client-sts");
  const client = new sts.STSClient({
    region: target.region,
    endpoint: target.endpoint,
    // the SDK refuses FIPS or dual-stack together with a custom endpoint; an explicit endpoint wins
    useFipsEndpoint: !target.endpoint && target.useFips === true,
    useDualstackEndpoint: !target.endpoint && target.useDualStack === true,
    maxAttempts: target.maxAttempts,
    ...(target.log ? { logger: sdkLogger(target.log) } : {}),
    credentials: {
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
      sessionToken: creds.sessionToken,
      expiration: new Date(creds.expirationMs),
    },
    // without throwOnRequestTimeout the handler only prints a warning when requestTimeout passes and keeps waiting
    requestHandler: {
      requestTimeout: target.timeoutMs,
      connectionTimeout: target.timeoutMs,
      throwOnRequestTimeout: true,
      ...httpsAgents(target),
    },
  });
  return { sts, client };
}

/**
 * The agents for STS calls: through the proxy (CONNECT, per target host with NO_PROXY) when one is set, and with the
 * CA bundle (one TLS context per process) or --no-verify-ssl when given, as for the Roles Anywhere endpoint; none
 * (the SDK's defaults) otherwise.
 */
function httpsAgents(target: StsTarget): { httpsAgent?: https.Agent; httpAgent?: http.Agent } {
  const tlsOptions: https.AgentOptions = {
    ...(target.caPem ? { secureContext: caSecureContext(target.caPem) } : {}),
    ...(target.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
  };
  if (hasProxy(target.proxies)) {
    const proxied = { proxies: target.proxies, connectTimeoutMs: target.timeoutMs, step: "sts" };
    return {
      httpsAgent: createProxyAgent(true, proxied, tlsOptions) as https.Agent,
      httpAgent: createProxyAgent(false, proxied),
    };
  }
  if (Object.keys(tlsOptions).length === 0) return {};
  return { httpsAgent: new (httpsModule().Agent)(tlsOptions) };
}

/**
 * Runs one STS call with a fresh client: each request ends within `target.timeoutMs` (retried by the SDK up to
 * maxAttempts), a stop aborts the call at once (ABORTED), and any other failure becomes `onError(err)`.
 */
export async function callSts<T>(
  target: StsTarget,
  creds: AwsCredentials,
  step: string,
  signal: AbortSignal | undefined,
  call: (sts: StsModule, client: StsClient, abortSignal: AbortSignal | undefined) => Promise<T>,
  onError: (err: unknown) => IamraError,
): Promise<T> {
  throwIfStopped(signal, step);
  const { sts, client } = await stsClient(target, creds);
  try {
    return await untilStopped(call(sts, client, signal), signal, step);
  } catch (err) {
    if (signal?.aborted) {
      throw isIamraError(err) && err.code === "ABORTED" ? err : stoppedError(signal.reason, step, err);
    }
    throw onError(err);
  } finally {
    client.destroy();
  }
}

/** Wraps an STS SDK failure as a typed error for `step`; proxy failures (PROXY_*) keep their own code and hint. */
export function stsError(step: string, err: unknown, hint: string): IamraError {
  if (isIamraError(err)) return err;
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  const status = e.$metadata?.httpStatusCode;
  return new IamraError({
    code: step === "assume-role" ? "STS_ASSUME_ROLE_FAILED" : "STS_VERIFY_FAILED",
    message: `STS ${step} failed${describe([status ? `HTTP ${status}` : undefined, e.name])}: ${e.message ?? String(err)}`,
    hint,
    retryable: status === undefined || status >= 500 || status === 429 || e.name === "Throttling",
    step,
    status,
    cause: err,
  });
}

/** " (a, b)" for the present parts, "" when none. */
function describe(parts: Array<string | undefined>): string {
  const present = parts.filter((p): p is string => Boolean(p));
  return present.length ? ` (${present.join(", ")})` : "";
}
