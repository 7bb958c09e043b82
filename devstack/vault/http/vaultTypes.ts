import type { MountEntry, VaultState } from "../state/VaultState.js";
import type { TokenEntry } from "../token/TokenStore.js";
import type { FieldSchema } from "../fields/coerceFields.js";

/** Vault's logical operations (sdk/logical/request.go). HEAD is the stand-in's own, for sys/health. */
export type Operation = "read" | "update" | "delete" | "list" | "patch" | "head";

/** The `auth` block of a response (HTTPAuth in sdk/logical/translate_response.go). */
export interface AuthBlock {
  client_token: string;
  accessor: string;
  policies: string[];
  token_policies: string[];
  identity_policies?: string[];
  metadata: Record<string, string> | null;
  lease_duration: number;
  renewable: boolean;
  entity_id: string;
  token_type: string;
  orphan: boolean;
  mfa_requirement: null;
  num_uses: number;
}

/** What a handler gives back; null means Vault's 204 with no body. */
export interface VaultResponse {
  status?: number;
  data?: Record<string, unknown> | null;
  auth?: AuthBlock | null;
  warnings?: string[];
  /** Copy data's keys to the top level too (HTTPSysInjector). */
  injectTop?: boolean;
  /** A raw (non-JSON-envelope) body, e.g. `ca/pem`. */
  raw?: { contentType: string; body: string | Buffer };
  leaseId?: string;
  leaseDuration?: number;
  renewable?: boolean;
}

/** One request as a backend sees it: the operation, the path inside its mount, and coerced fields. */
export interface VaultRequest {
  op: Operation;
  /** The full logical path, without `/v1/` (e.g. `pki_int/sign/app`). */
  path: string;
  /** The mount the path is under, with a trailing slash (e.g. `pki_int/`, `auth/kubernetes/`, `sys/`). */
  mountPath: string;
  /** Named captures from the route pattern. */
  params: Record<string, string>;
  /** Coerced body (or query for reads) fields present in the request. */
  fields: Record<string, unknown>;
  /** Raw JSON body. */
  body: Record<string, unknown>;
  query: URLSearchParams;
  /** The caller's token entry, when the path is authenticated and the token is valid. */
  token?: TokenEntry;
  state: VaultState;
  /** The mount table entry the path resolved to. */
  mount: MountEntry;
  /** Warnings gathered before the handler ran (unknown parameters). */
  warnings: string[];
}

/** A handler of one operation on one path. */
export type Handler = (req: VaultRequest) => Promise<VaultResponse | null> | VaultResponse | null;

/** One path of a backend, like framework.Path: a pattern, its fields and per-operation callbacks. */
export interface Route {
  pattern: RegExp;
  fields?: FieldSchema;
  ops: Partial<Record<Operation, Handler>>;
  /** Operations that need no token (login paths, sys/health, PKI CA fetches). */
  unauthenticated?: Operation[];
  /** Operations that need `sudo` in the ACL (root-protected paths). */
  sudo?: Operation[];
  /** For writes: tells create (false) from update (true), like framework's ExistenceCheck. */
  exists?: (req: VaultRequest) => boolean;
}

/** A backend mounted at a path: its type (as in sys/mounts) and its routes. */
export interface Backend {
  type: string;
  routes: Route[];
  /**
   * Auth backends: the TTLs a renewal of one of their login tokens gets (framework's pathLoginRenew); throws to refuse.
   */
  loginRenew?: (token: TokenEntry) => { ttl: number; maxTtl: number };
}
