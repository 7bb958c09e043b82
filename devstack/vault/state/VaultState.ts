import { randomBytes, randomUUID } from "node:crypto";
import type { Logger } from "../../../lib/log.js";
import type { Clock } from "../../../lib/time/clock.js";
import type { Backend } from "../http/vaultTypes.js";
import { TokenStore } from "../token/TokenStore.js";
import { IdentityStore } from "../identity/IdentityStore.js";
import { PolicyStore } from "../acl/PolicyStore.js";

/** Vault's system-wide default and maximum lease TTL: 768h (vault/expiration.go). */
export const SYSTEM_MAX_LEASE_TTL = 768 * 3600;

/** One row of the mount table (`sys/mounts`) or the auth table (`sys/auth`). */
export interface MountEntry {
  /** With a trailing slash, e.g. `pki/` or (auth) `kubernetes/`. */
  path: string;
  table: "secret" | "auth";
  type: string;
  accessor: string;
  uuid: string;
  description: string;
  /** 0 means the system default. */
  defaultLeaseTtl: number;
  maxLeaseTtl: number;
  backend: Backend;
}

/** All state of one Vault stand-in: seal flag, mounts, tokens, identities, policies. */
export class VaultState {
  sealed = false;
  readonly version = "1.17.6";
  readonly clusterName = `vault-cluster-${randomBytes(4).toString("hex")}`;
  readonly clusterId = randomUUID();
  readonly mounts = new Map<string, MountEntry>();
  readonly authMounts = new Map<string, MountEntry>();
  readonly tokens: TokenStore;
  readonly identity = new IdentityStore();
  readonly policies = new PolicyStore();

  constructor(
    readonly clock: Clock,
    readonly log: Logger,
  ) {
    this.tokens = new TokenStore(clock);
  }

  /** Adds a mount; `path` must end in `/`; TTLs default to 0 (the system's). */
  addMount(
    entry: Omit<MountEntry, "accessor" | "uuid" | "defaultLeaseTtl" | "maxLeaseTtl"> & Partial<MountEntry>,
  ): MountEntry {
    const accessorPrefix = entry.table === "auth" ? `auth_${entry.type}` : entry.type;
    const full: MountEntry = {
      defaultLeaseTtl: 0,
      maxLeaseTtl: 0,
      ...entry,
      accessor: entry.accessor ?? `${accessorPrefix}_${randomBytes(4).toString("hex")}`,
      uuid: randomUUID(),
    };
    (entry.table === "auth" ? this.authMounts : this.mounts).set(entry.path, full);
    return full;
  }

  /** The effective default and max lease TTLs of a mount, in seconds (0 falls back to 768h). */
  ttls(entry: MountEntry): { defaultTtl: number; maxTtl: number } {
    const maxTtl = entry.maxLeaseTtl || SYSTEM_MAX_LEASE_TTL;
    const defaultTtl = Math.min(entry.defaultLeaseTtl || SYSTEM_MAX_LEASE_TTL, maxTtl);
    return { defaultTtl, maxTtl };
  }

  /** Finds the mount for a logical path by longest prefix; auth paths start with `auth/`. */
  resolve(path: string): { entry: MountEntry; mountPath: string } | undefined {
    const withSlash = path.endsWith("/") ? path : `${path}/`;
    let best: { entry: MountEntry; mountPath: string } | undefined;
    const consider = (mountPath: string, entry: MountEntry) => {
      if (withSlash.startsWith(mountPath) && (!best || mountPath.length > best.mountPath.length)) {
        best = { entry, mountPath };
      }
    };
    for (const [p, e] of this.mounts) consider(p, e);
    for (const [p, e] of this.authMounts) consider(`auth/${p}`, e);
    return best;
  }

  /** The auth mount entry with this accessor, if any. */
  authMountByAccessor(accessor: string): MountEntry | undefined {
    return [...this.authMounts.values()].find((m) => m.accessor === accessor);
  }
}
