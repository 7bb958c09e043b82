/**
 * Name rules of the vault-config file (Kubernetes, SPIFFE, Vault and IAM naming), each with the text shown in errors.
 */
export const configPatterns = {
  /** Kubernetes namespace: RFC 1123 label, at most 63 characters. */
  namespace: {
    pattern: /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    patternText: "a Kubernetes namespace: lowercase RFC 1123 label",
  },
  /** Kubernetes service account name: RFC 1123 subdomain, at most 253 characters. */
  serviceAccount: {
    pattern: /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    patternText: "a Kubernetes service account name: lowercase RFC 1123 subdomain",
  },
  /** SPIFFE trust domain: lowercase letters, digits, ".", "-", "_". */
  trustDomain: {
    pattern: /^[a-z0-9._-]{1,255}$/,
    patternText: "a SPIFFE trust domain: lowercase letters, digits, '.', '-', '_'",
  },
  /** Vault mount path without slashes at either end. */
  mount: {
    pattern: /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/,
    patternText: "a Vault mount path such as pki or pki-int (no leading/trailing '/')",
  },
  /**
   * Binding, PKI role, kubernetes role and policy names (Vault lower-cases role and policy names, so only lowercase is
   * allowed).
   */
  name: {
    pattern: /^(?=.{1,63}$)[a-z0-9]([a-z0-9_-]*[a-z0-9])?$/,
    patternText: "lowercase letters, digits, '-', '_' (at most 63)",
  },
  /** IAM role ARN. */
  roleArn: {
    pattern: /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
    patternText: "an IAM role ARN, arn:aws:iam::<account>:role/<name>",
  },
  /** http(s) URL. */
  url: { pattern: /^https?:\/\/[^\s]+$/, patternText: "an http:// or https:// URL" },
} as const;

/** Valid key_bits per key type (Vault PKI). */
export const KEY_BITS: Record<"ec" | "rsa", readonly number[]> = {
  ec: [224, 256, 384, 521],
  rsa: [2048, 3072, 4096, 8192],
};

/** Default key_bits per key type. */
export const DEFAULT_KEY_BITS: Record<"ec" | "rsa", number> = { ec: 256, rsa: 2048 };
