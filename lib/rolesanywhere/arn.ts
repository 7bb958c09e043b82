import { ConfigError } from "../errors.js";
import { rolesAnywhereEndpoint } from "./rolesAnywhereEndpoint.js";

/** The parts of an ARN: arn:partition:service:region:account:resource. */
export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** Parses an ARN; throws ConfigError (code ARN_INVALID) naming the setting when it is malformed. */
export function parseArn(value: string, what: string): Arn {
  if (/[\s\x00-\x1f\x7f]/.test(value)) {
    throw new ConfigError({
      code: "ARN_INVALID",
      message: `${what} ${JSON.stringify(value)} contains whitespace or a control character`,
      hint: "copy the ARN again without surrounding text; ARNs never contain spaces or control characters",
    });
  }
  const parts = value.split(":");
  if (parts.length < 6 || parts[0] !== "arn" || !parts[1] || !parts[2]) {
    throw new ConfigError({
      code: "ARN_INVALID",
      message: `${what} "${value}" is not an ARN`,
      hint: `expected arn:aws:${
        what.endsWith("role ARN") ? "iam::<account>:role/<name>" : "rolesanywhere:<region>:<account>:…"
      }`,
    });
  }
  return {
    partition: parts[1],
    service: parts[2],
    region: parts[3]!,
    account: parts[4]!,
    resource: parts.slice(5).join(":"),
  };
}

/** The three ARNs of a CreateSession call, checked as AWS would before any request is sent. */
export interface SessionArns {
  trustAnchorArn: string;
  profileArn: string;
  roleArn: string;
}

/**
 * Checks the ARNs locally (the official helper sends an empty roleArn and lets AWS reject it)
 * and returns the region shared by the trust anchor and profile.
 */
export function checkSessionArns(arns: SessionArns): string {
  const anchor = parseArn(arns.trustAnchorArn, "trust anchor ARN");
  const profile = parseArn(arns.profileArn, "profile ARN");
  const role = parseArn(arns.roleArn, "role ARN");
  const problems: string[] = [];
  if (anchor.service !== "rolesanywhere" || !anchor.resource.startsWith("trust-anchor/")) {
    problems.push(`trust anchor ARN "${arns.trustAnchorArn}" does not name a Roles Anywhere trust-anchor`);
  }
  if (profile.service !== "rolesanywhere" || !profile.resource.startsWith("profile/")) {
    problems.push(`profile ARN "${arns.profileArn}" does not name a Roles Anywhere profile`);
  }
  if (role.service !== "iam" || !role.resource.startsWith("role/")) {
    problems.push(`role ARN "${arns.roleArn}" does not name an IAM role`);
  }
  if (anchor.region !== profile.region) {
    problems.push(`trust anchor region "${anchor.region}" and profile region "${profile.region}" differ`);
  }
  if (problems.length > 0) {
    throw new ConfigError({
      code: "ARN_INVALID",
      message: problems.join("; "),
      hint: "copy the ARNs from `aws rolesanywhere list-trust-anchors` / `list-profiles` and `aws iam get-role`; anchor and profile must be in one region",
      problems,
    });
  }
  return anchor.region;
}

/** Checks that `value` (named by `setting`) is an IAM role ARN; ConfigError ARN_INVALID otherwise. */
export function checkRoleArn(value: string, setting: string): void {
  const role = parseArn(value, `${setting} role ARN`);
  if (role.service !== "iam" || !role.resource.startsWith("role/")) {
    throw new ConfigError({
      code: "ARN_INVALID",
      message: `${setting} "${value}" does not name an IAM role`,
      hint: "expected arn:aws:iam::<account>:role/<name> (aws iam get-role shows it)",
    });
  }
}

/** The default Roles Anywhere endpoint for a region (https://rolesanywhere.<region>.amazonaws.com; .com.cn in China). */
export function defaultEndpoint(region: string): string {
  return rolesAnywhereEndpoint({ region, useFips: false, useDualStack: false });
}
