import { ConfigError } from "../errors.js";

/**
 * A Vault API path as the client sends it: no leading or trailing "/", no "/v1/" (the client adds it), no empty, "."
 * or ".." segments (Vault's Go mux answers those with a 301 redirect, which the client does not follow), no query,
 * fragment, whitespace or control characters. Throws ConfigError (code VAULT_PATH_INVALID) otherwise.
 */
export function vaultPath(path: string, what = "Vault path"): string {
  const trimmed = typeof path === "string" ? path.replace(/^\/+|\/+$/g, "") : "";
  const segments = trimmed.split("/");
  const bad =
    !trimmed ||
    // eslint-disable-next-line no-control-regex -- control characters are what this check refuses
    /[\s?#%\u0000-\u001f\u007f]/.test(trimmed) ||
    segments.some((s) => s === "" || s === "." || s === "..") ||
    /^v1\//.test(trimmed);
  if (bad) {
    throw new ConfigError({
      code: "VAULT_PATH_INVALID",
      message: `${what} ${JSON.stringify(path)} is not a valid Vault path.`,
      hint: 'Use a path like "pki_int/sign/workload" (no leading "/v1/", no empty or "." segments, no query).',
    });
  }
  return trimmed;
}

/**
 * The Kubernetes auth mount for a login: an absent or empty value means "kubernetes" (never /v1/auth//login), and an
 * "auth/" prefix, as Vault Agent writes it, is dropped.
 */
export function kubernetesAuthMount(mountPath: string | undefined): string {
  const raw = (mountPath ?? "").replace(/^\/+|\/+$/g, "").replace(/^auth\//, "");
  return raw ? vaultPath(raw, "Kubernetes auth mount path") : "kubernetes";
}

/** A PKI mount path (default "pki"). */
export function pkiMount(mount: string | undefined): string {
  const raw = (mount ?? "").replace(/^\/+|\/+$/g, "");
  return raw ? vaultPath(raw, "PKI mount path") : "pki";
}
