/** The STS actions the stand-in implements: GetCallerIdentity and AssumeRole (role chaining from devstack sessions). */
import type { IssuedSession, SessionStore } from "../aws/sessionStore.js";
import { StsError, stsValidationError } from "./stsError.js";
import { renderAssumeRole, renderGetCallerIdentity } from "./stsXml.js";

/** What AssumeRole requires of a target role: an ExternalId, when set. */
export interface StsRoleRequirements {
  externalId?: string;
}

/** Inputs shared by the actions. */
export interface StsActionContext {
  store: SessionStore;
  roles: Readonly<Record<string, StsRoleRequirements>>;
  minDurationSeconds: number;
}

const ROLE_ARN = /^arn:aws:iam::\d{12}:role\/(?:[\x21-\x7e]*\/)?[\w+=,.@-]{1,64}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
/** AWS caps sessions assumed with role-chained credentials at one hour. */
const ROLE_CHAINING_MAX_SECONDS = 3600;

/** GetCallerIdentity: who signed the request. */
export function getCallerIdentity(caller: IssuedSession, requestId: string): string {
  return renderGetCallerIdentity(caller, requestId);
}

function tagsFrom(params: URLSearchParams): Record<string, string> {
  const tags: Record<string, string> = {};
  for (let n = 1; params.has(`Tags.member.${n}.Key`); n++) {
    tags[params.get(`Tags.member.${n}.Key`)!] = params.get(`Tags.member.${n}.Value`) ?? "";
  }
  return tags;
}

/** AssumeRole from a devstack session: validates parameters, the role's ExternalId, the role-chaining 1-hour cap. */
export function assumeRole(
  ctx: StsActionContext,
  caller: IssuedSession,
  params: URLSearchParams,
  requestId: string,
): { xml: string; session: IssuedSession } {
  const roleArn = params.get("RoleArn") ?? "";
  const roleSessionName = params.get("RoleSessionName") ?? "";
  if (!ROLE_ARN.test(roleArn)) {
    throw stsValidationError(
      `1 validation error detected: Value '${roleArn}' at 'roleArn' failed to satisfy constraint: Member must be an IAM role ARN`,
    );
  }
  if (!SESSION_NAME.test(roleSessionName)) {
    throw stsValidationError(
      `1 validation error detected: Value '${roleSessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  const rawDuration = params.get("DurationSeconds");
  const duration = rawDuration === null ? 3600 : Number(rawDuration);
  if (!Number.isInteger(duration) || duration < ctx.minDurationSeconds || duration > 43200) {
    throw stsValidationError(
      `1 validation error detected: Value '${rawDuration}' at 'durationSeconds' failed to satisfy constraint: Member must have value between ${ctx.minDurationSeconds} and 43200`,
    );
  }
  if (duration > ROLE_CHAINING_MAX_SECONDS) {
    throw stsValidationError(
      "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
    );
  }
  const required = ctx.roles[roleArn]?.externalId;
  if (required !== undefined && params.get("ExternalId") !== required) {
    throw new StsError(
      403,
      "AccessDenied",
      `User: ${caller.assumedRoleArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    );
  }
  const requestedSource = params.get("SourceIdentity") ?? undefined;
  if (
    caller.sourceIdentity !== undefined &&
    requestedSource !== undefined &&
    requestedSource !== caller.sourceIdentity
  ) {
    throw new StsError(403, "AccessDenied", "Source identity cannot be changed once set on a role session.");
  }
  const session = ctx.store.issue({
    roleArn,
    roleSessionName,
    durationSeconds: duration,
    // The source identity set by Roles Anywhere persists through role chaining, as at AWS.
    sourceIdentity: caller.sourceIdentity ?? requestedSource,
    tags: tagsFrom(params),
  });
  return { xml: renderAssumeRole(session, requestId), session };
}
