import type { Logger } from "../log.js";
import type { Clock } from "../time/clock.js";
import { createSession, type CreateSessionRequest } from "../rolesanywhere/createSession.js";
import type { HttpTransportOptions } from "../rolesanywhere/sendHttpRequest.js";
import type { AwsCredentials } from "../credentials/awsCredentials.js";
import type { IdentitySource } from "../identity/identitySource.js";
import type { X509Identity } from "../identity/x509Identity.js";
import { assumeRole, type AssumeRoleConfig } from "../sts/assumeRole.js";
import type { StsTarget } from "../sts/stsCall.js";

/** What to ask Roles Anywhere (and, for role chaining, STS) for, and how to reach them. */
export interface SessionConfig {
  request: CreateSessionRequest;
  transport: HttpTransportOptions;
  maxAttempts: number;
  /** Time budget for throttled CreateSession calls, ms (see createSession). */
  throttleBudgetMs?: number;
  assumeRole?: AssumeRoleConfig & { sts: StsTarget };
}

/** The steps of one pass, in order. */
export type ObtainStep = "identity" | "create-session" | "assume-role";

/** Dependencies of obtainCredentials (injected so tests use the devstack and fake clocks). */
export interface ObtainCredentialsDeps {
  clock: Clock;
  log: Logger;
  /** The command's stop: ends calls in flight at once. */
  signal?: AbortSignal;
  /** User-Agent sent to Roles Anywhere, naming the command. */
  userAgent: string;
  /** Level of the "session created" and "role assumed" lines (default info). */
  stepLogLevel?: "info" | "debug";
  /** Wraps each upstream call, e.g. to time it (the refresher's metrics). */
  timeUpstream?: <T>(upstream: "rolesanywhere" | "sts", operation: string, call: () => Promise<T>) => Promise<T>;
  /** Told when each step starts, so that a caller can name the step a failure happened in. */
  onStep?: (step: ObtainStep) => void;
}

/** The credentials of one pass and the identity that signed for them. */
export interface ObtainedCredentials {
  credentials: AwsCredentials;
  identity: X509Identity;
}

/**
 * One pass of the credential path, the same for every command: identity from `identity` (Vault or files) →
 * Roles Anywhere CreateSession → optional STS AssumeRole.
 */
export async function obtainCredentials(
  identity: IdentitySource,
  session: SessionConfig,
  deps: ObtainCredentialsDeps,
): Promise<ObtainedCredentials> {
  const log = deps.log.child({ component: "pipeline" });
  const level = deps.stepLogLevel ?? "info";
  const timed = deps.timeUpstream ?? (<T>(_u: string, _o: string, call: () => Promise<T>) => call());
  deps.onStep?.("identity");
  const signer = await identity.get();
  deps.onStep?.("create-session");
  let credentials = await timed("rolesanywhere", "CreateSession", () =>
    createSession(signer, session.request, {
      clock: deps.clock,
      log: deps.log,
      transport: session.transport,
      maxAttempts: session.maxAttempts,
      throttleBudgetMs: session.throttleBudgetMs,
      signal: deps.signal,
      userAgent: deps.userAgent,
    }),
  );
  const { accessKeyId, expiration, roleArn } = credentials;
  log[level]({ accessKeyId, expiration, roleArn }, "session created");
  const target = session.assumeRole;
  if (target) {
    deps.onStep?.("assume-role");
    const chained = credentials;
    credentials = await timed("sts", "AssumeRole", () =>
      assumeRole(chained, target, { ...target.sts, log: deps.log }, deps.signal),
    );
    log[level]({ roleArn: target.roleArn, expiration: credentials.expiration }, "role assumed");
  }
  return { credentials, identity: signer };
}
