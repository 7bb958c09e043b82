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
  // eslint-disable-next-line no-control-regex -- control characters are what this check refuses
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

/** What one kind of ARN must name: its service, whether it has a region, and its resource type (before the "/"). */
interface ArnKind {
  label: string;
  service: string;
  regional: boolean;
  resourceType: string;
}

const rolesAnywhere = (resourceType: string, label: string): ArnKind => ({
  label,
  service: "rolesanywhere",
  regional: true,
  resourceType,
});
const TRUST_ANCHOR = rolesAnywhere("trust-anchor", "a Roles Anywhere trust-anchor");
const PROFILE = rolesAnywhere("profile", "a Roles Anywhere profile");
const ROLE: ArnKind = { label: "an IAM role", service: "iam", regional: false, resourceType: "role" };

/** What is wrong with `arn` (written `value`, named `what`) as an ARN of `kind`; empty when nothing is. */
function arnProblems(arn: Arn, value: string, what: string, kind: ArnKind): string[] {
  const [type, ...rest] = arn.resource.split("/");
  const name = rest.join("/");
  if (arn.service !== kind.service || type !== kind.resourceType || !name || name.includes(":")) {
    return [`${what} "${value}" does not name ${kind.label}`];
  }
  const problems: string[] = [];
  if (kind.regional && !arn.region) problems.push(`${what} "${value}" has no region`);
  if (!kind.regional && arn.region) problems.push(`${what} "${value}" has a region, but IAM ARNs have none`);
  if (!/^\d{12}$/.test(arn.account)) problems.push(`${what} "${value}" has no 12-digit account ID`);
  return problems;
}

/**
 * Checks the ARNs locally (the official helper sends an empty roleArn and lets AWS reject it)
 * and returns the region shared by the trust anchor and profile.
 */
export function checkSessionArns(arns: SessionArns): string {
  const anchor = parseArn(arns.trustAnchorArn, "trust anchor ARN");
  const profile = parseArn(arns.profileArn, "profile ARN");
  const role = parseArn(arns.roleArn, "role ARN");
  const problems = [
    ...arnProblems(anchor, arns.trustAnchorArn, "trust anchor ARN", TRUST_ANCHOR),
    ...arnProblems(profile, arns.profileArn, "profile ARN", PROFILE),
    ...arnProblems(role, arns.roleArn, "role ARN", ROLE),
  ];
  if (anchor.region !== profile.region) {
    problems.push(`trust anchor region "${anchor.region}" and profile region "${profile.region}" differ`);
  }
  const partitions = new Set([anchor.partition, profile.partition, role.partition]);
  if (partitions.size > 1) problems.push(`the ARNs name different partitions (${[...partitions].join(", ")})`);
  if (problems.length > 0) {
    throw new ConfigError({
      code: "ARN_INVALID",
      message: problems.join("; "),
      hint:
        "copy the ARNs from `aws rolesanywhere list-trust-anchors` / `list-profiles` and `aws iam get-role`; " +
        "anchor and profile must be in one region",
      problems,
    });
  }
  return anchor.region;
}

/** Checks that `value` (named by `setting`) is an IAM role ARN; ConfigError ARN_INVALID otherwise. */
export function checkRoleArn(value: string, setting: string): void {
  const problems = arnProblems(parseArn(value, `${setting} role ARN`), value, setting, ROLE);
  if (problems.length > 0) {
    throw new ConfigError({
      code: "ARN_INVALID",
      message: problems.join("; "),
      hint: "expected arn:aws:iam::<account>:role/<name> (aws iam get-role shows it)",
      problems,
    });
  }
}

/** The default Roles Anywhere endpoint of a region: https://rolesanywhere.<region>.amazonaws.com (.com.cn in China). */
export function defaultEndpoint(region: string): string {
  return rolesAnywhereEndpoint({ region, useFips: false, useDualStack: false });
}
