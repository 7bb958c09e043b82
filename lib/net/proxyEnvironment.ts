import { ConfigError } from "../errors.js";

/** Proxy settings taken from the standard variables, checked once at start-up. */
export interface ProxyEnvironment {
  /** Proxy for https:// targets ($https_proxy, $HTTPS_PROXY, then $all_proxy, $ALL_PROXY). */
  httpsProxy?: URL;
  /** Proxy for http:// targets ($http_proxy, $HTTP_PROXY, then $all_proxy, $ALL_PROXY). */
  httpProxy?: URL;
  /** Raw $no_proxy / $NO_PROXY list: hosts, .domains, *.domains, host:port, CIDR blocks, or "*". */
  noProxy?: string;
}

/** The variable names, lower-case first: the order curl reads them in. */
const NAMES = {
  https: ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"],
  http: ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"],
  no: ["no_proxy", "NO_PROXY"],
} as const;

/**
 * Reads HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY (each also in lower case, which wins) from `env`.
 * A proxy must be an http:// URL (CONNECT is spoken in clear to the proxy); anything else is a ConfigError
 * (PROXY_URL_INVALID, exit 2). Messages name the variable, never its value: it may carry a password.
 */
export function proxyEnvironmentFrom(env: Record<string, string | undefined>): ProxyEnvironment {
  const problems: string[] = [];
  const pick = (names: readonly string[]) => {
    const name = names.find((n) => (env[n] ?? "").trim() !== "");
    return name ? { name, value: env[name]!.trim() } : undefined;
  };
  const parse = (names: readonly string[]): URL | undefined => {
    const found = pick(names);
    if (!found) return undefined;
    let url: URL;
    try {
      url = new URL(found.value);
    } catch {
      problems.push(`$${found.name} is not a URL (write it as http://host:port)`);
      return undefined;
    }
    if (url.protocol !== "http:" || !url.hostname || (url.pathname !== "/" && url.pathname !== "") || url.search) {
      problems.push(`$${found.name} must be an http:// proxy URL without a path (e.g. http://proxy.example:3128)`);
      return undefined;
    }
    return url;
  };
  const out: ProxyEnvironment = { httpsProxy: parse(NAMES.https), httpProxy: parse(NAMES.http) };
  const noProxy = pick(NAMES.no);
  if (noProxy) out.noProxy = noProxy.value;
  if (problems.length > 0) {
    throw new ConfigError({
      code: "PROXY_URL_INVALID",
      message: `invalid proxy setting: ${problems.join("; ")}`,
      hint: "set HTTPS_PROXY/HTTP_PROXY to http://[user:password@]host:port, or unset them",
      problems,
    });
  }
  return out;
}

/** True when any proxy is configured (NO_PROXY alone changes nothing). */
export function hasProxy(p: ProxyEnvironment | undefined): p is ProxyEnvironment {
  return Boolean(p?.httpsProxy || p?.httpProxy);
}

/** A proxy URL safe for logs and error messages: scheme, host and port, without user or password. */
export function describeProxy(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}
