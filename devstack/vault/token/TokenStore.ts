import { randomBytes, randomUUID } from "node:crypto";
import type { Clock } from "../../../lib/time/clock.js";

/** One token as the token store keeps it (vault/token_store.go TokenEntry), times in epoch ms, TTLs in seconds. */
export interface TokenEntry {
  id: string;
  accessor: string;
  policies: string[];
  path: string;
  displayName: string;
  meta: Record<string, string> | null;
  entityId: string;
  creationTime: number;
  /** TTL at creation (creation_ttl), seconds; 0 = never expires. */
  creationTtl: number;
  /** Absolute expiry, or null for tokens without TTL (root). */
  expireAt: number | null;
  /** Latest possible expiry from max TTL (token_max_ttl / mount max / explicit max), or null. */
  maxExpireAt: number | null;
  explicitMaxTtl: number;
  period: number;
  renewable: boolean;
  orphan: boolean;
  numUses: number;
  type: "service";
  lastRenewalTime?: number;
  /** The role a login token came from (kubernetes auth), for renewal and lookup. */
  role?: string;
  /** The auth mount accessor of the login, if any. */
  mountAccessor?: string;
}

/** What a caller may set when creating a token; the rest is derived. */
export type NewToken = Partial<Omit<TokenEntry, "id" | "accessor" | "creationTime" | "expireAt" | "maxExpireAt">> & {
  id?: string;
  /** Absolute max TTL in seconds from now (mount/role max), 0 = none. */
  maxTtl?: number;
};

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function base62(n: number): string {
  const bytes = randomBytes(n);
  return [...bytes].map((b) => BASE62[b % 62]).join("");
}

/** In-memory token store: `hvs.` service tokens, 24-char accessors, TTL expiry against the injected clock. */
export class TokenStore {
  private readonly byId = new Map<string, TokenEntry>();
  private readonly byAccessor = new Map<string, string>();

  constructor(private readonly clock: Clock) {}

  /** Creates and stores a token; returns the entry. */
  create(spec: NewToken): TokenEntry {
    const now = this.clock.now();
    const ttl = spec.creationTtl ?? 0;
    const maxTtl = spec.maxTtl ?? 0;
    const entry: TokenEntry = {
      id: spec.id ?? `hvs.${base62(24)}`,
      accessor: base62(24),
      policies: spec.policies ?? ["default"],
      path: spec.path ?? "auth/token/create",
      displayName: spec.displayName ?? "token",
      meta: spec.meta ?? null,
      entityId: spec.entityId ?? "",
      creationTime: now,
      creationTtl: ttl,
      expireAt: ttl > 0 ? now + ttl * 1000 : null,
      maxExpireAt: maxTtl > 0 ? now + maxTtl * 1000 : null,
      explicitMaxTtl: spec.explicitMaxTtl ?? 0,
      period: spec.period ?? 0,
      renewable: spec.renewable ?? ttl > 0,
      orphan: spec.orphan ?? false,
      numUses: spec.numUses ?? 0,
      type: "service",
      role: spec.role,
      mountAccessor: spec.mountAccessor,
    };
    this.byId.set(entry.id, entry);
    this.byAccessor.set(entry.accessor, entry.id);
    return entry;
  }

  /** The live token with this id; expired tokens are revoked and give undefined. */
  lookup(id: string): TokenEntry | undefined {
    const entry = this.byId.get(id);
    if (!entry) return undefined;
    if (entry.expireAt !== null && this.clock.now() >= entry.expireAt) {
      this.revoke(id);
      return undefined;
    }
    return entry;
  }

  /** The live token with this accessor. */
  lookupAccessor(accessor: string): TokenEntry | undefined {
    const id = this.byAccessor.get(accessor);
    return id ? this.lookup(id) : undefined;
  }

  /** Removes a token (idempotent). */
  revoke(id: string): void {
    const entry = this.byId.get(id);
    if (!entry) return;
    this.byId.delete(id);
    this.byAccessor.delete(entry.accessor);
  }

  /** Remaining TTL in whole seconds (0 for tokens without expiry). */
  remainingTtl(entry: TokenEntry): number {
    if (entry.expireAt === null) return 0;
    return Math.max(0, Math.floor((entry.expireAt - this.clock.now()) / 1000));
  }

  /**
   * Extends a token by `incrementSec` from now, capped at its max expiry; returns the new TTL and,
   * when capped, the requested TTL (for Vault's warning).
   */
  renew(entry: TokenEntry, incrementSec: number): { ttl: number; cappedFrom?: number } {
    const now = this.clock.now();
    let ttl = incrementSec;
    let cappedFrom: number | undefined;
    if (entry.maxExpireAt !== null && now + ttl * 1000 > entry.maxExpireAt) {
      cappedFrom = ttl;
      ttl = Math.max(0, Math.floor((entry.maxExpireAt - now) / 1000));
    }
    entry.expireAt = now + ttl * 1000;
    entry.lastRenewalTime = now;
    return { ttl, cappedFrom };
  }

  /** A fresh UUID (entity ids and the like). */
  static uuid(): string {
    return randomUUID();
  }
}
