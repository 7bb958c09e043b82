/**
 * The annotations a pod (or its ServiceAccount) opts in and tunes injection with. Names follow the EKS pod identity
 * webhook (`<prefix>/role-arn`, `audience`, `token-expiration` in seconds, `skip-containers`) and vault-k8s
 * (`<prefix>/inject` to opt in, `<prefix>/status: injected` written back so a second pass changes nothing).
 */

/** The default annotation prefix; the webhook's --annotation-prefix changes it. */
export const DEFAULT_ANNOTATION_PREFIX = "iamra-vault";

/** Annotation suffixes read from the Pod and from its ServiceAccount (the Pod's value wins). */
export const SHARED_KEYS = [
  "inject",
  "role-arn",
  "vault-role",
  "region",
  "imds",
  "sidecar-mode",
  "audience",
  "token-expiration",
] as const;
/** Annotation suffixes read from the Pod only. */
export const POD_ONLY_KEYS = ["skip-containers", "status"] as const;

/** One annotation suffix. */
export type AnnotationKey = (typeof SHARED_KEYS)[number] | (typeof POD_ONLY_KEYS)[number];

/** The value the webhook writes to `<prefix>/status` once it has injected a pod. */
export const INJECTED_STATUS = "injected";

/** Full annotation name for a suffix, e.g. annotationName("iamra-vault", "inject") → "iamra-vault/inject". */
export function annotationName(prefix: string, key: AnnotationKey): string {
  return `${prefix}/${key}`;
}

/** The annotations under `prefix/`, keyed by suffix. */
export function annotationsUnder(prefix: string, all: Record<string, string> | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(all ?? {})) {
    if (name.startsWith(`${prefix}/`)) out.set(name.slice(prefix.length + 1), value);
  }
  return out;
}
