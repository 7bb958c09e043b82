/**
 * CreateSession of the Roles Anywhere stand-in: verify the request, the certificate and the policy, then issue a
 * session.
 */
import { randomUUID } from "node:crypto";
import type { SessionStore } from "../aws/sessionStore.js";
import { evaluateTrustPolicy, type PolicyContext } from "./evaluateTrustPolicy.js";
import { parseCreateSessionInput } from "./parseCreateSessionInput.js";
import type { ResourceRegistry } from "./resourceRegistry.js";
import { accessDenied, validationError } from "./rolesAnywhereApiError.js";
import { sessionTagsFromCertificate } from "./sessionTagsFromCertificate.js";
import { validateCertificateChain } from "./validateCertificateChain.js";
import { verifyX509Signature, type ReceivedRequest } from "./verifyX509Signature.js";

/** What CreateSession needs from the stand-in. */
export interface CreateSessionContext {
  region: string;
  accountId: string;
  minDurationSeconds: number;
  registry: ResourceRegistry;
  sessions: SessionStore;
  /** Subject ARN per (trust anchor, certificate subject), so a subject keeps its ARN across sessions. */
  subjects: Map<string, string>;
}

/** The 201 body, field for field as the real service answers (rolesanywhere/deserializers.go). */
export interface CreateSessionResponse {
  credentialSet: Array<{
    assumedRoleUser: { arn: string; assumedRoleId: string };
    credentials: { accessKeyId: string; expiration: string; secretAccessKey: string; sessionToken: string };
    packedPolicySize: number;
    roleArn: string;
    sourceIdentity: string;
  }>;
  subjectArn: string;
}

/** Throws RolesAnywhereApiError on any failed check; returns the response body and the issued access key id. */
export function handleCreateSession(
  ctx: CreateSessionContext,
  req: ReceivedRequest,
  nowMs: number,
): { body: CreateSessionResponse; accessKeyId: string } {
  const verified = verifyX509Signature(req, { region: ctx.region, nowMs });
  const input = parseCreateSessionInput(req.rawQuery, req.body, ctx.minDurationSeconds);
  const { trustAnchor, profile, role } = ctx.registry.resolve(input);
  if (input.durationSeconds > profile.durationSeconds) {
    throw validationError(
      `durationSeconds ${input.durationSeconds} exceeds the profile's maximum session duration of ${profile.durationSeconds} seconds`,
    );
  }
  validateCertificateChain(verified.leaf, verified.intermediates, trustAnchor.cas, nowMs);
  const { tags, sourceIdentity } = sessionTagsFromCertificate(verified.leaf);

  if (role.trustPolicy) {
    const context: PolicyContext = { "aws:SourceArn": trustAnchor.arn, "aws:SourceAccount": ctx.accountId };
    for (const [k, v] of Object.entries(tags)) context[`aws:PrincipalTag/${k}`] = v;
    const actions = ["sts:AssumeRole", "sts:TagSession", ...(sourceIdentity ? ["sts:SetSourceIdentity"] : [])];
    const decision = evaluateTrustPolicy(role.trustPolicy, actions, context);
    if (!decision.allowed) {
      throw accessDenied(
        `Unable to assume role ${role.arn}: its trust policy ${decision.explicitDeny ? "explicitly denies" : "does not allow"} ` +
          `${decision.deniedAction} for this certificate`,
      );
    }
  }

  // Without roleSessionName, AWS names the session after the certificate's serial number (hex).
  const roleSessionName = input.roleSessionName ?? verified.leaf.serialNumber.toLowerCase();
  const session = ctx.sessions.issue({
    roleArn: role.arn,
    roleSessionName,
    durationSeconds: input.durationSeconds,
    sourceIdentity,
    tags,
  });
  const subjectKey = `${trustAnchor.arn}\n${verified.leaf.subject}`;
  let subjectArn = ctx.subjects.get(subjectKey);
  if (!subjectArn) {
    subjectArn = `arn:aws:rolesanywhere:${ctx.region}:${ctx.accountId}:subject/${randomUUID()}`;
    ctx.subjects.set(subjectKey, subjectArn);
  }
  return {
    accessKeyId: session.accessKeyId,
    body: {
      credentialSet: [
        {
          assumedRoleUser: { arn: session.assumedRoleArn, assumedRoleId: session.assumedRoleId },
          credentials: {
            accessKeyId: session.accessKeyId,
            expiration: session.expiration.toISOString().replace(/\.\d{3}Z$/, "Z"),
            secretAccessKey: session.secretAccessKey,
            sessionToken: session.sessionToken,
          },
          packedPolicySize: 0,
          roleArn: role.arn,
          sourceIdentity: sourceIdentity ?? "",
        },
      ],
      subjectArn,
    },
  };
}
