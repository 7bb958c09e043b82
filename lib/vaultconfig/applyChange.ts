import { IamraError, isIamraError } from "../errors.js";
import type { VaultClient } from "../vault/VaultClient.js";
import { installIntermediate, type IntermediateOutcome } from "./installIntermediate.js";
import type { VaultConfig } from "./VaultConfig.js";
import type { Change } from "./VaultResource.js";

/** What applying one change produced beyond Vault's state (the intermediate CSR, when it waits for a signature). */
export interface ChangeOutcome {
  intermediate?: IntermediateOutcome;
}

/** Everything applyChange needs besides the change: the config (for CA parameters) and an externally signed bundle. */
export interface ApplyChangeContext {
  vault: VaultClient;
  config: VaultConfig;
  signedIntermediateBundlePem?: string;
}

function body(change: Change): Record<string, unknown> {
  const fields: Record<string, unknown> = { ...(change.resource?.fields ?? {}) };
  delete fields.token_reviewer_jwt_set; // read-only in Vault; the JWT itself comes from `secrets`
  return { ...fields, ...(change.resource?.secrets ?? {}) };
}

/** Executes one planned change through the Vault client (create/update/delete); conflicts are refused. */
export async function applyChange(change: Change, ctx: ApplyChangeContext): Promise<ChangeOutcome> {
  const { vault } = ctx;
  const { action, kind, path } = change;
  if (action === "conflict") {
    throw new IamraError({
      code: "VAULT_CONFIG_CONFLICT",
      message: `cannot apply ${path}: ${change.note ?? "conflict"}`,
      hint: "resolve it by hand (or change the mount path in the config)",
      step: "vault-config-apply",
    });
  }
  if (action === "delete") {
    await vault.delete(path);
    return {};
  }
  const r = change.resource!;
  switch (kind) {
    case "secrets-mount":
    case "auth-mount": {
      const ttl = r.fields.max_lease_ttl === undefined ? {} : { max_lease_ttl: `${r.fields.max_lease_ttl}s` };
      if (action === "create") await vault.write(path, { type: r.fields.type, ...r.createOnly, config: ttl });
      else await vault.write(`${path}/tune`, ttl);
      return {};
    }
    case "pki-root-ca": {
      const c = r.createOnly ?? {};
      const mount = path.replace(/\/cert\/ca$/, "");
      await vault.write(`${mount}/root/generate/internal`, { ...c, ttl: `${c.ttl}s`, format: "pem" });
      return {};
    }
    case "pki-intermediate-ca":
      return { intermediate: await installIntermediate(vault, ctx.config.pki, ctx.signedIntermediateBundlePem) };
    case "kubernetes-auth-config":
      await writeKubernetesConfig(vault, path, body(change));
      return {};
    default:
      await vault.write(path, body(change));
      return {};
  }
}

/**
 * Writes auth/<mount>/config. Without kubernetes_ca_cert, Vault and OpenBao read the CA of the pod they run in
 * (/var/run/secrets/kubernetes.io/serviceaccount/ca.crt) and refuse the write when there is none.
 */
async function writeKubernetesConfig(vault: VaultClient, path: string, data: Record<string, unknown>): Promise<void> {
  try {
    await vault.write(path, data);
  } catch (err) {
    const noCa = /ca\.crt|kubernetes_ca_cert must be given/i;
    if (!isIamraError(err) || err.status !== 400 || !noCa.test(err.message)) throw err;
    const said = (err.details?.vaultErrors as string[] | undefined)?.join("; ") ?? err.message;
    throw new IamraError({
      code: "VAULT_CONFIG_KUBERNETES_CA_MISSING",
      message: `Vault refused ${path}: it has no Kubernetes CA certificate (Vault: ${said})`,
      hint:
        "set kubernetesAuth.config.caCert or caCertFile (the cluster's CA); " +
        "only a Vault running in a pod of the cluster can do without",
      step: "vault-config-apply",
      status: err.status,
      cause: err,
    });
  }
}
