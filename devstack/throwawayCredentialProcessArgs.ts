import type { DevstackInfo } from "./devstackInfo.js";

/**
 * The `credential-process` arguments (command name first) that use the devstack's throwaway certificate and key against
 * its Roles Anywhere stand-in: what the banner prints, and what the tests and benchmarks run.
 */
export function throwawayCredentialProcessArgs(info: Pick<DevstackInfo, "throwaway" | "rolesAnywhere">): string[] {
  const t = info.throwaway;
  return [
    "credential-process",
    "--certificate",
    t.certificate,
    "--private-key",
    t.privateKey,
    "--trust-anchor-arn",
    t.trustAnchorArn,
    "--profile-arn",
    t.profileArn,
    "--role-arn",
    t.roleArn,
    "--endpoint",
    info.rolesAnywhere.endpoint,
  ];
}
