import { isIamraError } from "../errors.js";
import type { VaultClient } from "../vault/VaultClient.js";
import type { CurrentState, DesiredState, ResourceKind } from "./VaultResource.js";

type Json = Record<string, unknown>;

function dataOf(answer: Json | null): Json | null {
  if (!answer) return null;
  const data = answer.data;
  return data && typeof data === "object" && !Array.isArray(data) ? (data as Json) : null;
}

/** The mount table row for `path` ("pki" → data["pki/"]) as { type, accessor, max_lease_ttl, default_lease_ttl }. */
function mountRow(table: Json | null, path: string): Json | null {
  const row = table?.[`${path}/`] as { type?: unknown; accessor?: unknown; config?: Json } | undefined;
  if (!row) return null;
  return {
    type: row.type,
    accessor: row.accessor,
    max_lease_ttl: row.config?.max_lease_ttl,
    default_lease_ttl: row.config?.default_lease_ttl,
  };
}

/**
 * True when the path's mount exists ("pki/roles/x" needs "pki/" in sys/mounts, "auth/kubernetes/role/x" needs
 * "kubernetes/" in sys/auth).
 */
function onExistingMount(kind: ResourceKind, path: string, secrets: Json | null, auth: Json | null): boolean {
  if (kind === "acl-policy") return true;
  const table = path.startsWith("auth/") ? auth : secrets;
  const rel = path.startsWith("auth/") ? path.slice("auth/".length) : path;
  return Object.keys(table ?? {}).some((m) => rel.startsWith(m));
}

/** The default issuer's certificate of a PKI mount, or null when the mount has none yet. */
async function readIssuer(vault: VaultClient, path: string): Promise<Json | null> {
  try {
    const data = dataOf(await vault.read(path));
    return data && typeof data.certificate === "string" && data.certificate.trim()
      ? { certificate: data.certificate }
      : null;
  } catch (err) {
    // A mount without a default issuer answers cert/ca with 404 (devstack) or, in some Vault versions, with a
    // 400/500 "no default issuer"/"was one set?" error: both mean "no CA yet", anything else is a real failure.
    if (
      isIamraError(err) &&
      (err.status === 400 || err.status === 500) &&
      /issuer|was one set|no CA/i.test(err.message)
    )
      return null;
    throw err;
  }
}

/**
 * Reads from Vault every object the desired state names (and the removals), normalised for planChanges:
 * mounts from sys/mounts and sys/auth, CAs from <mount>/cert/ca, everything else from its own path (data or null).
 * Objects on mounts that do not exist yet are not read (they are absent).
 */
export async function readCurrentState(vault: VaultClient, desired: DesiredState): Promise<CurrentState> {
  const secrets = dataOf(await vault.read("sys/mounts"));
  const auth = dataOf(await vault.read("sys/auth"));
  const objects = new Map<string, Json | null>();
  let authAccessor: string | undefined;
  const targets: { kind: ResourceKind; path: string }[] = [...desired.resources, ...desired.removals];
  for (const { kind, path } of targets) {
    if (kind === "secrets-mount") {
      objects.set(path, mountRow(secrets, path.slice("sys/mounts/".length)));
    } else if (kind === "auth-mount") {
      const row = mountRow(auth, path.slice("sys/auth/".length));
      objects.set(path, row);
      if (row?.type === "kubernetes" && typeof row.accessor === "string") authAccessor = row.accessor;
    } else if (!onExistingMount(kind, path, secrets, auth)) {
      objects.set(path, null);
    } else if (kind === "pki-root-ca" || kind === "pki-intermediate-ca") {
      objects.set(path, await readIssuer(vault, path));
    } else {
      objects.set(path, dataOf(await vault.read(path)));
    }
  }
  return { objects, authAccessor };
}
