import type { ConfigProblem } from "../config/configProblem.js";
import type { PipelineSettings } from "./pipelineFromSettings.js";

/** The settings the Vault rules read. */
export type VaultRuleSettings = Pick<
  PipelineSettings,
  "vaultAuthMethod" | "vaultRole" | "vaultTokenFile" | "commonName" | "uriSan" | "pkiRole"
>;

/**
 * The cross-setting rules of the Vault half of the pipeline (init, and the refresher with --identity-source vault),
 * checked once at start-up: each auth method has what it logs in with, and with token auth (no service-account token
 * to derive them from) the certificate's names and the PKI role are given. `vaultTokenEnv` is $VAULT_TOKEN.
 */
export function vaultPipelineProblems(s: VaultRuleSettings, vaultTokenEnv: string | undefined): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (s.vaultAuthMethod === "kubernetes") {
    if (!s.vaultRole) problems.push({ message: "--vault-role (or $VAULT_ROLE) is required with kubernetes auth" });
    return problems;
  }
  if (!s.vaultTokenFile && !vaultTokenEnv)
    problems.push({ message: "token auth needs $VAULT_TOKEN or --vault-token-file" });
  if (!s.commonName || !s.uriSan) {
    problems.push({
      message: "cannot derive the certificate's CN and URI SAN with token auth: there is no service-account token",
      hint: "set --common-name and --uri-san explicitly",
    });
  }
  if (!s.pkiRole && !s.vaultRole) {
    problems.push({ message: "--pki-role is required with token auth", hint: "name the PKI role to sign with" });
  }
  return problems;
}
