import { problemsOf, type ConfigProblem } from "../config/configProblem.js";
import { checkRoleArn, checkSessionArns } from "../rolesanywhere/arn.js";
import { rolesAnywhereEndpoint } from "../rolesanywhere/rolesAnywhereEndpoint.js";
import type { SessionSettings } from "./sessionFromSettings.js";

/**
 * The cross-setting rules of the Roles Anywhere session (credential-process, init, refresher), checked once at
 * start-up: the ARNs as AWS would check them, --external-id only with --assume-role-arn, and an endpoint that exists
 * for the region (FIPS is not everywhere). sessionFromSettings trusts settings that passed.
 */
export function sessionProblems(s: SessionSettings): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (s.externalId && !s.assumeRoleArn) problems.push({ message: "--external-id needs --assume-role-arn" });
  let anchorRegion: string | undefined;
  problems.push(...problemsOf(() => (anchorRegion = checkSessionArns(s))));
  if (s.assumeRoleArn) {
    const roleArn = s.assumeRoleArn;
    problems.push(...problemsOf(() => checkRoleArn(roleArn, "--assume-role-arn")));
  }
  const region = s.region ?? anchorRegion;
  if (region !== undefined) {
    problems.push(
      ...problemsOf(() =>
        rolesAnywhereEndpoint({
          region,
          endpoint: s.endpoint,
          useFips: s.useFipsEndpoint === true,
          useDualStack: s.useDualstackEndpoint === true,
        }),
      ),
    );
  }
  return problems;
}
