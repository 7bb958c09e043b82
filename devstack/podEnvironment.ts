import type { DevstackInfo } from "./devstackInfo.js";

/**
 * The environment an iamra-vault container of the demo service account would get against this devstack (the variables a
 * pod's ConfigMap sets, with the old sample's names), plus the service-account token file path.
 */
export function podEnvironment(info: DevstackInfo, saTokenFile: string): Record<string, string> {
  return {
    VAULT_ADDR: info.vault.addr,
    VAULT_ROLE: info.vault.vaultRole,
    ANCHOR_ARN: info.rolesAnywhere.trustAnchorArn,
    PROFILE_ARN: info.rolesAnywhere.profileArn,
    ROLE_ARN: info.rolesAnywhere.roleArn,
    AWS_ENDPOINT_URL_ROLESANYWHERE: info.rolesAnywhere.endpoint,
    IAMRA_SA_TOKEN_FILE: saTokenFile,
  };
}
