/** The Vault objects vault-config manages, as desired (from the config) and as found (in Vault). */

/** What kind of Vault object a resource is; the applier knows how to create/update each. */
export type ResourceKind =
  | "secrets-mount"
  | "auth-mount"
  | "pki-root-ca"
  | "pki-intermediate-ca"
  | "pki-urls"
  | "kubernetes-auth-config"
  | "acl-policy"
  | "pki-role"
  | "kubernetes-role";

/** A compared field value, in Vault's read-back form (durations in seconds). */
export type FieldValue = string | number | boolean | string[];

/** One object the config wants, with the fields that are compared with Vault and written. */
export interface DesiredResource {
  kind: ResourceKind;
  /** The Vault path naming the object, e.g. "sys/mounts/pki", "pki/roles/demo", "sys/policies/acl/iamra-demo". */
  path: string;
  /** "mounts" resources are applied first: the kubernetes auth accessor exists only once its mount does. */
  phase: "mounts" | "objects";
  /** Desired values, compared with Vault's (after normalisation) and written. */
  fields: Record<string, FieldValue>;
  /** Written but never shown or compared (e.g. token_reviewer_jwt). */
  secrets?: Record<string, string>;
  /** Written on create only (e.g. a mount's description), not compared. */
  createOnly?: Record<string, unknown>;
  /** For CA resources: what creating it means, in words. */
  note?: string;
}

/** An object to delete if it exists (only those the config lists under `remove`). */
export interface Removal {
  kind: "pki-role" | "acl-policy" | "kubernetes-role";
  path: string;
}

/** Everything the config wants, in apply order. */
export interface DesiredState {
  resources: DesiredResource[];
  removals: Removal[];
}

/** What Vault has: normalised fields per resource path (null = absent), plus the kubernetes auth accessor. */
export interface CurrentState {
  objects: Map<string, Record<string, unknown> | null>;
  /** Accessor of the kubernetes auth mount (auth_kubernetes_…), when it exists. */
  authAccessor?: string;
}

/** One field that differs: Vault's value (undefined when absent) and the config's. */
export interface FieldDiff {
  field: string;
  from?: unknown;
  to: unknown;
}

/** One step of a plan. "conflict" blocks apply (e.g. a mount of another type at the path). */
export interface Change {
  action: "create" | "update" | "delete" | "conflict";
  kind: ResourceKind;
  path: string;
  diffs: FieldDiff[];
  note?: string;
  resource?: DesiredResource;
}

/** An ordered list of changes; empty when Vault matches the config. */
export interface Plan {
  changes: Change[];
}
