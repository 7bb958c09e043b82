/** The implementations of `vault-config plan | apply | export`, loaded only when one of them runs. */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { CommandContext } from "../cli/commandSpec.js";
import { writeFileAtomic } from "../lib/deliver/writeFileAtomic.js";
import { writeOutput } from "../lib/deliver/writeOutput.js";
import { ConfigError, IamraError } from "../lib/errors.js";
import { applyVaultConfig, planVaultConfig } from "../lib/vaultconfig/applyVaultConfig.js";
import { buildExportArtifacts } from "../lib/vaultconfig/buildExportArtifacts.js";
import { rootsOf } from "../lib/vaultconfig/caChain.js";
import { readTrustAnchor } from "../lib/vaultconfig/readTrustAnchor.js";
import { renderPlan } from "../lib/vaultconfig/renderPlan.js";
import { connectVault, loadConfigFile, readSettingFile } from "./openVaultConfig.js";
import type { ApplyValues, ExportValues, PlanValues } from "./vaultConfigSettings.js";

const print = writeOutput;

/** `plan`: prints the ordered diff; with --exit-code returns 2 when changes are pending. */
export async function runPlan(v: PlanValues, ctx: CommandContext): Promise<number> {
  const config = await loadConfigFile(v.config);
  const vault = await connectVault(v, ctx.env, ctx.log);
  try {
    const { plan } = await planVaultConfig(vault, config);
    await print(ctx.stdout, renderPlan(plan, v.vaultAddr));
    return v.exitCode && plan.changes.length > 0 ? 2 : 0;
  } finally {
    vault.close();
  }
}

/** `apply`: converges Vault, prints what it did and the pending CSR (signedBy: external, first run). */
export async function runApply(v: ApplyValues, ctx: CommandContext): Promise<number> {
  const config = await loadConfigFile(v.config);
  const signedIntermediate = v.signedIntermediate
    ? {
        certificatePem: await readSettingFile(v.signedIntermediate, "--signed-intermediate"),
        rootPem: await readSettingFile(v.root!, "--root"),
      }
    : undefined;
  const vault = await connectVault(v, ctx.env, ctx.log);
  try {
    const result = await applyVaultConfig(vault, config, { signedIntermediate, log: ctx.log });
    await print(
      ctx.stdout,
      result.applied.length === 0
        ? `Vault at ${v.vaultAddr} already matches the config. Nothing to do.\n`
        : renderPlan({ changes: result.applied }, v.vaultAddr, { applied: true }),
    );
    for (const note of result.notes) await print(ctx.stdout, `Note: ${note}\n`);
    if (result.pendingCsrPem) {
      if (v.csrOut) await writeFileAtomic(v.csrOut, `${result.pendingCsrPem}\n`, { mode: 0o644 });
      await print(
        ctx.stdout,
        [
          `\nThe intermediate CA of ${config.pki.mount} waits for your root's signature. Sign this CSR as a CA certificate${v.csrOut ? ` (also written to ${v.csrOut})` : ""}:`,
          result.pendingCsrPem,
          `then run: iamra-vault vault-config apply --config ${v.config} --signed-intermediate <intermediate.pem> --root <root.pem>`,
          "",
        ].join("\n"),
      );
    }
    if (result.remaining.length > 0) {
      throw new IamraError({
        code: "VAULT_CONFIG_NOT_CONVERGED",
        message: `after apply, Vault still differs from the config at ${result.remaining.map((c) => c.path).join(", ")}`,
        hint: "run plan to see the fields; Vault may be rejecting or rewriting them (version differences, or another writer)",
        step: "vault-config-apply",
      });
    }
    return 0;
  } finally {
    vault.close();
  }
}

/** `export`: writes the trust anchor bundle, the Roles Anywhere request bodies and the per-binding trust policies. */
export async function runExport(v: ExportValues, ctx: CommandContext): Promise<number> {
  const config = await loadConfigFile(v.config);
  let rootPem: string | undefined;
  if (v.root) {
    const roots = rootsOf(await readSettingFile(v.root, "--root"));
    if (roots.length === 0)
      throw new ConfigError({
        message: `--root ${v.root} holds no self-signed root certificate`,
        hint: "give the root CA certificate (PEM)",
      });
    rootPem = roots.join("\n");
  } else {
    const vault = await connectVault(v, ctx.env, ctx.log);
    try {
      rootPem = await readTrustAnchor(vault, config);
    } finally {
      vault.close();
    }
  }
  if (!rootPem) {
    throw new IamraError({
      code: "VAULT_CONFIG_NO_TRUST_ANCHOR",
      message: `no root CA certificate found for ${config.pki.mount} in Vault`,
      hint: "run apply until the intermediate is installed (with its root), or pass --root <root.pem>",
      step: "vault-config-export",
    });
  }
  const files = buildExportArtifacts(config, rootPem, {
    trustAnchorArn: v.trustAnchorArn,
    cloudFormation: v.cloudFormation,
  });
  await mkdir(v.outDir, { recursive: true });
  for (const [name, content] of Object.entries(files))
    await writeFileAtomic(join(v.outDir, name), content, { mode: 0o644 });
  ctx.log.info({ outDir: v.outDir, files: Object.keys(files) }, "exported");
  await print(
    ctx.stdout,
    `Wrote:\n${Object.keys(files)
      .map((n) => `  ${join(v.outDir, n)}\n`)
      .join("")}`,
  );
  return 0;
}
