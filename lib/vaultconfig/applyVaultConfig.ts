import { ConfigError, IamraError } from "../errors.js";
import { silentLogger, type Logger } from "../log.js";
import type { VaultClient } from "../vault/VaultClient.js";
import { applyChange } from "./applyChange.js";
import { bindingSummaries, type BindingSummary } from "./bindingSummary.js";
import { buildDesiredState } from "./buildDesiredState.js";
import { checkSignedIntermediate } from "./caChain.js";
import { planChanges } from "./planChanges.js";
import { readCurrentState } from "./readCurrentState.js";
import { readTrustAnchor } from "./readTrustAnchor.js";
import { renderChange } from "./renderPlan.js";
import type { VaultConfig } from "./VaultConfig.js";
import type { Change, CurrentState, Plan } from "./VaultResource.js";

/** Options of applyVaultConfig. */
export interface ApplyVaultConfigOptions {
  /** signedBy: external, second step: the signed intermediate and its chain up to the root (PEM). */
  signedIntermediate?: { certificatePem: string; rootPem: string };
  log?: Logger;
}

/** What applyVaultConfig did and what the caller needs next (devstack, demo, the CLI). */
export interface ApplyVaultConfigResult {
  /** Changes executed, in order (empty when Vault already matched). */
  applied: Change[];
  /** Changes a fresh plan still shows afterwards (empty when converged; the pending intermediate is not counted). */
  remaining: Change[];
  /** The intermediate CSR waiting for an external signature (signedBy: external, first apply). */
  pendingCsrPem?: string;
  /** True when the intermediate mount has its CA certificate. */
  intermediateInstalled: boolean;
  /** The root CA certificate (PEM): the Roles Anywhere trust anchor. undefined until known. */
  rootPem?: string;
  /** Accessor of the kubernetes auth mount (auth_kubernetes_…), used in the PKI role templates. */
  kubernetesAuthAccessor: string;
  bindings: BindingSummary[];
  /** Things the caller should know (e.g. --signed-intermediate ignored because the CA is already installed). */
  notes: string[];
}

/** Reads Vault and plans the changes the config needs (read-only). */
export async function planVaultConfig(
  vault: VaultClient,
  config: VaultConfig,
): Promise<{ plan: Plan; current: CurrentState }> {
  const first = await readCurrentState(vault, buildDesiredState(config));
  const desired = buildDesiredState(config, first.authAccessor);
  // Reading again is not needed: the paths read do not depend on the accessor.
  return { plan: planChanges(desired, first), current: first };
}

/**
 * Converges Vault to the config: plans, refuses conflicts before touching anything, applies the mounts first, reads the
 * kubernetes auth accessor, re-plans and applies the rest in order (CAs, URLs, kubernetes config, policies, PKI roles,
 * kubernetes roles, removals), then plans once more to report anything that did not converge.
 */
export async function applyVaultConfig(
  vault: VaultClient,
  config: VaultConfig,
  opts: ApplyVaultConfigOptions = {},
): Promise<ApplyVaultConfigResult> {
  const log = (opts.log ?? silentLogger()).child({ component: "vault-config" });
  const checked = opts.signedIntermediate
    ? checkSignedIntermediate(opts.signedIntermediate.certificatePem, opts.signedIntermediate.rootPem)
    : undefined;
  if (checked && config.pki.intermediate.signedBy.type !== "external") {
    throw new ConfigError({
      code: "VAULT_CONFIG_INTERMEDIATE_INVALID",
      message: `--signed-intermediate given, but pki.intermediate.signedBy.type is "${config.pki.intermediate.signedBy.type}"`,
      hint: "use signedBy: { type: external } for an externally signed intermediate",
    });
  }
  const applied: Change[] = [];
  const notes: string[] = [];
  let pendingCsrPem: string | undefined;
  let installedNow = false;
  const run = async (changes: Change[]) => {
    for (const change of changes) {
      const outcome = await applyChange(change, { vault, config, signedIntermediateBundlePem: checked?.bundlePem });
      if (outcome.intermediate) {
        if (outcome.intermediate.installed) installedNow = true;
        else pendingCsrPem = outcome.intermediate.csrPem;
      }
      applied.push(change);
      log.info(
        { action: change.action, kind: change.kind, path: change.path, fields: change.diffs.map((d) => d.field) },
        "vault change applied",
      );
    }
  };

  let { plan } = await planVaultConfig(vault, config);
  const conflicts = plan.changes.filter((c) => c.action === "conflict");
  if (conflicts.length > 0) {
    throw new IamraError({
      code: "VAULT_CONFIG_CONFLICT",
      message: `Vault has objects that vault-config will not replace; nothing was changed:\n${conflicts.map(renderChange).join("\n")}`,
      hint: "move or remove them by hand, or choose other mount paths in the config",
      step: "vault-config-apply",
    });
  }
  const mounts = plan.changes.filter((c) => c.resource?.phase === "mounts");
  if (mounts.length > 0) {
    await run(mounts);
    plan = (await planVaultConfig(vault, config)).plan;
  }
  await run(plan.changes.filter((c) => c.resource?.phase !== "mounts"));

  const after = await planVaultConfig(vault, config);
  const remaining = after.plan.changes.filter((c) => c.kind !== "pki-intermediate-ca");
  const intermediateInstalled = !after.plan.changes.some((c) => c.kind === "pki-intermediate-ca");
  if (checked && !installedNow)
    notes.push("--signed-intermediate was not used: the intermediate CA was already installed");
  if (remaining.length > 0) log.warn({ paths: remaining.map((c) => c.path) }, "vault did not converge");
  return {
    applied,
    remaining,
    pendingCsrPem,
    intermediateInstalled,
    rootPem: intermediateInstalled ? ((await readTrustAnchor(vault, config)) ?? checked?.rootPem) : undefined,
    kubernetesAuthAccessor: after.current.authAccessor ?? "",
    bindings: bindingSummaries(config),
    notes,
  };
}
