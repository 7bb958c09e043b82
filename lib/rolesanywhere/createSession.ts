import { randomUUID } from "node:crypto";
import type { Logger } from "../log.js";
import type { Clock } from "../time/clock.js";
import { retry } from "../time/retry.js";
import { isIamraError } from "../errors.js";
import type { X509Identity } from "../identity/x509Identity.js";
import { serialToDecimal } from "../x509/parseCertificates.js";
import { signRequest } from "./signRequest.js";
import { defaultEndpoint, parseArn, type SessionArns } from "./arn.js";
import { sendHttpRequest, type HttpTransportOptions } from "./sendHttpRequest.js";
import { parseAwsError } from "./parseAwsError.js";
import { parseCreateSessionResponse } from "./parseCreateSessionResponse.js";
import type { AwsCredentials } from "../credentials/awsCredentials.js";

/** What to ask Roles Anywhere for. */
export interface CreateSessionRequest extends SessionArns {
  /** 900..43200 and within the profile's limit. */
  durationSeconds: number;
  roleSessionName?: string;
  /** Signing and endpoint region; defaults to the trust anchor ARN's region. */
  region?: string;
  /** Base URL; "/sessions" is appended to its path. Defaults to the regional endpoint. */
  endpoint?: string;
}

/** Dependencies and policies of the client. */
export interface CreateSessionDeps {
  clock: Clock;
  log: Logger;
  transport: HttpTransportOptions;
  /** Attempts in total, first included (default 3). */
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /**
   * Time budget for throttling (429, ThrottlingException), ms: throttled calls are retried until it is spent, without
   * counting against maxAttempts. Without it, throttling is retried like other retryable errors.
   */
  throttleBudgetMs?: number;
  random?: () => number;
  signal?: AbortSignal;
  userAgent?: string;
}

/**
 * Backoff for throttled CreateSession calls: full jitter, ceiling from 500 ms doubling up to 3 s. A quota refills
 * continuously and an unused second of it is lost, so the cap bounds how long the last waiting pods of a fleet leave
 * the quota idle (about cap/2); the price is more 429 answers while a large fleet waits (about N/1.5 calls a second).
 */
export const THROTTLE_BACKOFF = { baseMs: 500, capMs: 3_000 } as const;

/**
 * Calls IAM Roles Anywhere CreateSession with a SigV4-X509 signature (re-signed on every attempt) and returns the
 * first credential set. Retries network errors, timeouts, 5xx and throttling with capped exponential backoff and full
 * jitter; throttling until the throttle budget is spent (honouring Retry-After); other 4xx fail at once.
 * ARNs travel in the query string, as the official helper sends them.
 */
export async function createSession(
  identity: X509Identity,
  request: CreateSessionRequest,
  deps: CreateSessionDeps,
): Promise<AwsCredentials> {
  const { region, url, query, body } = preparedRequest(request);
  const maxAttempts = deps.maxAttempts ?? 3;
  const invocationId = randomUUID();
  const { certificateDer, serialDecimal, chainDer } = preparedIdentity(identity);
  const log = deps.log.child({ component: "rolesanywhere" });

  return retry(
    async (attempt) => {
      const signed = signRequest({
        key: identity.key,
        certificateDer,
        serialDecimal,
        chainDer,
        region,
        nowMs: deps.clock.now(),
        host: url.host,
        query,
        body,
        headers: {
          "content-type": "application/json",
          "amz-sdk-invocation-id": invocationId,
          "amz-sdk-request": `attempt=${attempt}; max=${maxAttempts}`,
        },
      });
      const started = deps.clock.now();
      const answer = await sendHttpRequest(
        url,
        { method: "POST", headers: { ...signed.headers, "user-agent": deps.userAgent ?? "iamra-vault" }, body },
        deps.transport,
        deps.signal,
      );
      log.debug({ status: answer.status, attempt, ms: deps.clock.now() - started }, "create-session answered");
      if (answer.status < 200 || answer.status > 299) {
        throw parseAwsError(answer, { endpoint: url.origin, attempt, nowMs: deps.clock.now() });
      }
      return parseCreateSessionResponse(answer.body);
    },
    {
      maxAttempts,
      baseMs: deps.backoffBaseMs ?? 1000,
      capMs: deps.backoffCapMs ?? 20_000,
      clock: deps.clock,
      random: deps.random,
      signal: deps.signal,
      isRetryable: (err) => isIamraError(err) && err.retryable,
      throttle:
        deps.throttleBudgetMs === undefined
          ? undefined
          : {
              ...THROTTLE_BACKOFF,
              budgetMs: deps.throttleBudgetMs,
              isThrottled: (err) => isIamraError(err) && err.code === "RA_THROTTLED",
            },
      retryAfterMs: (err) => (isIamraError(err) ? (err.details?.retryAfterMs as number | undefined) : undefined),
      onRetry: ({ attempt, delayMs, error, throttled }) => {
        const code = isIamraError(error) ? error.code : undefined;
        log.warn({ step: "create-session", attempt, delayMs, throttled, code }, "retrying");
      },
    },
  );
}

/**
 * A query component as URLSearchParams writes it (application/x-www-form-urlencoded: only A-Z a-z 0-9 * - . _ stay
 * as they are), except that a space is %20 rather than "+", the form the signed canonical query uses. Written out
 * because the first use of URL.searchParams costs a one-shot command (credential-process) about half a millisecond.
 */
function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** What every CreateSession call with the same request sends: region, URL (ARNs in the query), body. */
interface PreparedRequest {
  region: string;
  url: URL;
  query: Readonly<Record<string, string>>;
  body: string;
}

/** Per request object: a refresher sends the same request for as long as it runs. */
const preparedRequests = new WeakMap<CreateSessionRequest, PreparedRequest>();

function preparedRequest(request: CreateSessionRequest): PreparedRequest {
  const known = preparedRequests.get(request);
  if (known) return known;
  const arnRegion = parseArn(request.trustAnchorArn, "trust anchor ARN").region; // checked at start-up
  const region = request.region ?? arnRegion;
  const base = new URL(request.endpoint ?? defaultEndpoint(region));
  const url = new URL(`${base.pathname.replace(/\/+$/, "")}/sessions`, base);
  const query = { profileArn: request.profileArn, roleArn: request.roleArn, trustAnchorArn: request.trustAnchorArn };
  url.search = Object.entries(query)
    .map(([k, v]) => `${formEncode(k)}=${formEncode(v)}`)
    .join("&");
  const body = JSON.stringify({
    durationSeconds: request.durationSeconds,
    ...(request.roleSessionName ? { roleSessionName: request.roleSessionName } : {}),
  });
  const prepared = { region, url, query, body };
  preparedRequests.set(request, prepared);
  return prepared;
}

/** The certificate data a signature carries, worked out once per identity (reused for hours by a refresher). */
interface PreparedIdentity {
  certificateDer: Buffer;
  serialDecimal: string;
  chainDer: readonly Buffer[];
}

const preparedIdentities = new WeakMap<X509Identity, PreparedIdentity>();

function preparedIdentity(identity: X509Identity): PreparedIdentity {
  let prepared = preparedIdentities.get(identity);
  if (!prepared) {
    prepared = {
      certificateDer: identity.certificate.raw,
      serialDecimal: serialToDecimal(identity.certificate),
      chainDer: identity.chain.map((c) => c.raw),
    };
    preparedIdentities.set(identity, prepared);
  }
  return prepared;
}
