import type { CommandSpec } from "../cli/commandSpec.js";
import type { ConfigProblem } from "../lib/config/configProblem.js";
import { applySettings, exportSettings, planSettings, type VaultConnectionValues } from "./vaultConfigSettings.js";

/** plan and apply talk to Vault: the operator's token must be given. */
function tokenProblems(v: VaultConnectionValues, env: Record<string, string | undefined>): ConfigProblem[] {
  if (v.vaultTokenFile || env.VAULT_TOKEN?.trim()) return [];
  const hint = "the token needs the policy in vault-config/README.md";
  return [{ message: "no Vault token: set $VAULT_TOKEN or --vault-token-file", hint }];
}

const planCommand: CommandSpec<typeof planSettings> = {
  name: "plan",
  summary: "show the ordered changes that apply would make (read-only)",
  settings: planSettings,
  logToStderr: true,
  defaultLogLevel: "warn",
  validate: (v, { env }) => tokenProblems(v, env),
  run: async (v, ctx) => (await import("./runVaultConfig.js")).runPlan(v, ctx),
  helpText:
    "Exit codes: 0 (no changes, or changes without --exit-code), 2 changes pending with --exit-code or bad " +
    "configuration, 1 failure.",
};

const applyCommand: CommandSpec<typeof applySettings> = {
  name: "apply",
  summary:
    "converge Vault to the config; prints what it did (and the intermediate CSR when it waits for an external root)",
  settings: applySettings,
  logToStderr: true,
  validate: (v, { env }) => [
    ...(!!v.signedIntermediate === !!v.root
      ? []
      : [
          {
            message: "--signed-intermediate and --root go together",
            hint: "pass the signed intermediate certificate and the root that signed it",
          },
        ]),
    ...tokenProblems(v, env),
  ],
  run: async (v, ctx) => (await import("./runVaultConfig.js")).runApply(v, ctx),
};

const exportCommand: CommandSpec<typeof exportSettings> = {
  name: "export",
  summary: "write the trust anchor bundle, trust-anchor.json, profile.json and trust-policy-<binding>.json",
  settings: exportSettings,
  logToStderr: true,
  run: async (v, ctx) => (await import("./runVaultConfig.js")).runExport(v, ctx),
};

/** `iamra-vault vault-config`: declarative Vault setup (plan / apply) and the IAM Roles Anywhere artifacts (export). */
export const vaultConfigCommand: CommandSpec = {
  name: "vault-config",
  summary:
    "configure Vault as a subordinate CA with identity-bound certificates (plan, apply) and export the Roles " +
    "Anywhere artifacts",
  settings: [],
  helpText: "See vault-config/README.md for the config schema and the Vault policy the operator's token needs.",
  subcommands: [planCommand, applyCommand, exportCommand],
};
