/**
 * The devstack's shared store of temporary AWS sessions: issued by the Roles Anywhere and STS stand-ins, checked by
 * STS.
 */
import { randomBytes, randomInt } from "node:crypto";
import type { Clock } from "../../lib/time/clock.js";

/** What a stand-in asks the store to issue. */
export interface IssueSessionInput {
  roleArn: string;
  roleSessionName: string;
  /** Lifetime in seconds; expiration is rounded down to a whole second, as AWS reports it. */
  durationSeconds: number;
  sourceIdentity?: string;
  tags?: Record<string, string>;
}

/** One set of temporary credentials and the identity they stand for. */
export interface IssuedSession {
  /** "ASIA" + 16 upper-case alphanumerics. */
  accessKeyId: string;
  /** 40 characters. */
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  roleArn: string;
  roleSessionName: string;
  /** `arn:aws:sts::<account>:assumed-role/<roleName>/<session>`. */
  assumedRoleArn: string;
  /** `<role id>:<session>`, the role id stable per role ARN. */
  assumedRoleId: string;
  account: string;
  sourceIdentity?: string;
  tags: Record<string, string>;
  issuedAt: Date;
}

/** The store: issue, look up by access key id, list. */
export interface SessionStore {
  readonly accountId: string;
  readonly clock: Clock;
  issue(input: IssueSessionInput): IssuedSession;
  lookup(accessKeyId: string): IssuedSession | undefined;
  all(): IssuedSession[];
}

const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const SECRET_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function randomString(alphabet: string, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/;

/** Creates an in-memory session store (a test double: nothing is persisted). Account defaults to 123456789012. */
export function createSessionStore(opts: { clock: Clock; accountId?: string }): SessionStore {
  const accountId = opts.accountId ?? "123456789012";
  const sessions = new Map<string, IssuedSession>();
  const roleIds = new Map<string, string>();
  return {
    accountId,
    clock: opts.clock,
    issue(input) {
      const m = ROLE_ARN.exec(input.roleArn);
      // AWS names the role's own account in the assumed-role ARN; a malformed ARN falls back to the store's account.
      const account = m?.[1] ?? accountId;
      const roleName = m?.[2] ?? input.roleArn.split("/").pop()!;
      let roleId = roleIds.get(input.roleArn);
      if (!roleId) roleIds.set(input.roleArn, (roleId = `AROA${randomString(UPPER_ALNUM, 17)}`));
      let accessKeyId: string;
      do accessKeyId = `ASIA${randomString(UPPER_ALNUM, 16)}`;
      while (sessions.has(accessKeyId));
      const nowMs = opts.clock.now();
      const session: IssuedSession = {
        accessKeyId,
        secretAccessKey: randomString(SECRET_CHARS, 40),
        sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(96).toString("base64")}`,
        expiration: new Date(Math.floor((nowMs + input.durationSeconds * 1000) / 1000) * 1000),
        roleArn: input.roleArn,
        roleSessionName: input.roleSessionName,
        assumedRoleArn: `arn:aws:sts::${account}:assumed-role/${roleName}/${input.roleSessionName}`,
        assumedRoleId: `${roleId}:${input.roleSessionName}`,
        account,
        sourceIdentity: input.sourceIdentity,
        tags: { ...(input.tags ?? {}) },
        issuedAt: new Date(nowMs),
      };
      sessions.set(accessKeyId, session);
      return session;
    },
    lookup: (accessKeyId) => sessions.get(accessKeyId),
    all: () => [...sessions.values()],
  };
}
