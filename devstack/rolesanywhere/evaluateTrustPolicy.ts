/** Evaluates an IAM role trust policy for a Roles Anywhere CreateSession (a subset of IAM's policy language). */

/** The principal Roles Anywhere presents to STS. */
const ROLES_ANYWHERE_PRINCIPAL = "rolesanywhere.amazonaws.com";

type OneOrMany<T> = T | T[];

/** One trust policy statement (the fields the stand-in understands). */
export interface TrustPolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | { Service?: OneOrMany<string>; AWS?: OneOrMany<string> };
  Action?: OneOrMany<string>;
  Condition?: Record<string, Record<string, OneOrMany<string>>>;
}

/** An IAM trust policy document. */
export interface TrustPolicy {
  Version?: string;
  Statement: OneOrMany<TrustPolicyStatement>;
}

/** The request as the policy sees it: condition keys (e.g. aws:PrincipalTag/x509SAN/URI, aws:SourceArn). */
export type PolicyContext = Record<string, string>;

const list = <T>(v: OneOrMany<T> | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** IAM wildcard match: `*` any run, `?` one character. */
function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${re}$`, ignoreCase ? "is" : "s").test(value);
}

const OPERATORS: Record<string, (pattern: string, value: string) => boolean> = {
  StringEquals: (p, v) => p === v,
  StringEqualsIgnoreCase: (p, v) => p.toLowerCase() === v.toLowerCase(),
  StringLike: (p, v) => globMatch(p, v),
  ArnEquals: (p, v) => p === v,
  ArnLike: (p, v) => globMatch(p, v),
};
const NEGATED: Record<string, string> = {
  StringNotEquals: "StringEquals",
  StringNotEqualsIgnoreCase: "StringEqualsIgnoreCase",
  StringNotLike: "StringLike",
  ArnNotEquals: "ArnEquals",
  ArnNotLike: "ArnLike",
};

function lookupKey(context: PolicyContext, key: string): string | undefined {
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(context)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** All operators AND, all keys within an operator AND, the values of one key OR (IAM semantics). */
function conditionsHold(condition: TrustPolicyStatement["Condition"], context: PolicyContext): boolean {
  for (const [rawOp, keys] of Object.entries(condition ?? {})) {
    const ifExists = rawOp.endsWith("IfExists");
    const op = ifExists ? rawOp.slice(0, -"IfExists".length) : rawOp;
    const positive = OPERATORS[op] ?? OPERATORS[NEGATED[op] ?? ""];
    if (!positive) return false; // an operator the stand-in does not know never matches: fail closed
    const negated = op in NEGATED;
    for (const [key, patterns] of Object.entries(keys)) {
      const value = lookupKey(context, key);
      if (value === undefined) {
        if (ifExists || negated) continue;
        return false;
      }
      const any = list(patterns).some((p) => positive(p, value));
      if (negated ? any : !any) return false;
    }
  }
  return true;
}

function principalMatches(statement: TrustPolicyStatement): boolean {
  if (statement.Principal === "*") return true;
  return list(statement.Principal?.Service).includes(ROLES_ANYWHERE_PRINCIPAL);
}

function actionMatches(statement: TrustPolicyStatement, action: string): boolean {
  return list(statement.Action).some((a) => globMatch(a, action, true));
}

/** The outcome: allowed, or the first action that is not (explicit deny or no matching allow). */
export interface TrustPolicyDecision {
  allowed: boolean;
  deniedAction?: string;
  explicitDeny?: boolean;
}

/** Every action in `actions` must be allowed by some statement and denied by none, given the context. */
export function evaluateTrustPolicy(
  policy: TrustPolicy,
  actions: readonly string[],
  context: PolicyContext,
): TrustPolicyDecision {
  const statements = list(policy.Statement);
  for (const action of actions) {
    const applicable = statements.filter(
      (s) => principalMatches(s) && actionMatches(s, action) && conditionsHold(s.Condition, context),
    );
    if (applicable.some((s) => s.Effect === "Deny"))
      return { allowed: false, deniedAction: action, explicitDeny: true };
    if (!applicable.some((s) => s.Effect === "Allow")) return { allowed: false, deniedAction: action };
  }
  return { allowed: true };
}
