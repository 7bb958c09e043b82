import type { DevstackInfo } from "./devstackInfo.js";
import { throwawayCredentialProcessArgs } from "./throwawayCredentialProcessArgs.js";

/**
 * The text `iamra-vault-devstack` prints: endpoints, a credential-process command, an AWS config snippet, the init
 * flow.
 */
export function renderDevstackBanner(info: DevstackInfo, o: { portBase: number; stateFile?: string }): string {
  const portFlag = o.portBase === 18200 ? "" : ` --port-base ${o.portBase}`;
  const [command, ...flags] = throwawayCredentialProcessArgs(info);
  // one "--flag value" pair per printed line
  const cp = [`iamra-vault ${command}`, ...flags.flatMap((f, i) => (i % 2 === 0 ? [`${f} ${flags[i + 1]}`] : []))];
  const ra = info.rolesAnywhere;
  return [
    info.vault.server === "stand-in"
      ? "iamra-vault-devstack is running: loopback TEST DOUBLES, not the real services (Ctrl-C to stop)"
      : "iamra-vault-devstack is running on a real Vault-compatible server; the rest are loopback TEST DOUBLES " +
        "(Ctrl-C to stop)",
    "",
    `  Vault                   ${info.vault.addr}   (${vaultNote(info)})`,
    `  Kubernetes TokenReview  ${info.kubernetes.tokenReviewUrl}`,
    `  IAM Roles Anywhere      ${ra.endpoint}   (region ${info.region})`,
    `  STS                     ${info.sts.endpoint}`,
    `  admin                   ${info.admin.url}   (GET /v1/info, POST /v1/tokens)`,
    ...(o.stateFile ? [`  state file              ${o.stateFile}`] : []),
    "",
    "1. credential-process with the throwaway certificate:",
    `   ${cp.join(" \\\n     ")}`,
    "",
    "   or in an AWS config file:",
    "   [profile devstack]",
    `   credential_process = ${cp.join(" ")}`,
    "",
    `2. init, like a pod of service account ${info.kubernetes.namespace}/${info.kubernetes.serviceAccount}:`,
    `   node dist/devstack/main.js token --namespace ${info.kubernetes.namespace} --service-account ${info.kubernetes.serviceAccount}${portFlag} > /tmp/iamra-sa-token`,
    `   VAULT_ADDR=${info.vault.addr} iamra-vault init --vault-role ${info.vault.vaultRole} --sa-token-file /tmp/iamra-sa-token \\`,
    `     --trust-anchor-arn ${ra.trustAnchorArn} --profile-arn ${ra.profileArn} --role-arn ${ra.roleArn} \\`,
    `     --endpoint ${ra.endpoint} --output-dir /tmp/iamra-out --verify --sts-endpoint ${info.sts.endpoint}`,
    `   AWS_SHARED_CREDENTIALS_FILE=/tmp/iamra-out/credentials aws sts get-caller-identity --endpoint-url ${info.sts.endpoint} --region ${info.region}`,
    "",
  ].join("\n");
}

/** The Vault line's note: the stand-in's or started server's root token, or where an existing server's came from. */
function vaultNote(info: DevstackInfo): string {
  const token = info.vault.rootToken ? `root token ${info.vault.rootToken}` : "token from $VAULT_TOKEN";
  return info.vault.server === "stand-in" ? token : `${info.vault.server}; ${token}`;
}
