import http from "node:http";
import { ConfigError, IamraError } from "../errors.js";
import { caSecureContext } from "../net/caSecureContext.js";
import { createProxyAgent } from "../net/createProxyAgent.js";
import { httpsModule } from "../net/httpsModule.js";
import { hasProxy, type ProxyEnvironment } from "../net/proxyEnvironment.js";
import { proxyForUrl } from "../net/proxyForUrl.js";
import { parseRetryAfterMs } from "../time/parseRetryAfter.js";
import { stoppedError } from "../time/stopSignal.js";
import { VaultDeadlineError, VaultStatusError } from "./vaultErrors.js";

/** What the HTTP layer needs: address, namespace, TLS trust, the per-request timeout and the proxy variables. */
export interface VaultHttpSettings {
  /** VAULT_ADDR, e.g. "https://vault.example:8200"; a path ("https://lb/vault") is put before /v1/. */
  addr: string;
  /** VAULT_NAMESPACE (Vault Enterprise / HCP), sent as X-Vault-Namespace on every request. */
  namespace?: string;
  /** VAULT_CACERT's contents, or every file of VAULT_CAPATH: replaces the system roots. */
  caCertPem?: string;
  /** VAULT_SKIP_VERIFY: do not verify Vault's TLS certificate. */
  tlsSkipVerify?: boolean;
  /** Whole request (connect, send, answer in full), ms. */
  timeoutMs: number;
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY, read by the command; absent means direct connections. */
  proxies?: ProxyEnvironment;
  /** Epoch ms, to read a Retry-After given as a date. */
  now: () => number;
}

/** One request: the Vault path without /v1/, the query, the token (secret) and the JSON body. */
export interface VaultHttpRequest {
  method: "GET" | "POST" | "DELETE";
  path: string;
  query?: Record<string, string>;
  token?: string;
  body?: Record<string, unknown>;
  /** Pipeline step named when a stop ends the request. */
  step: string;
  signal?: AbortSignal;
  /** Resolve with non-2xx answers too (sys/health answers its state with 429, 472, 473, 501, 503). */
  anyStatus?: boolean;
}

/** Vault's answer: the status and the body parsed as JSON (undefined when empty). */
export interface VaultHttpAnswer {
  status: number;
  body: unknown;
  /** Location of a 307/308 redirect (followed by send()). */
  location?: string;
}

/** Sends requests to one Vault over keep-alive connections; close() ends the idle ones. */
export interface VaultHttp {
  send(req: VaultHttpRequest): Promise<VaultHttpAnswer>;
  close(): void;
}

/**
 * Creates the HTTP layer of the Vault client on node:http and node:https. Every request carries X-Vault-Request
 * (and X-Vault-Namespace when set). 307/308 redirects within the same scheme are followed (up to 3; method, body and
 * token kept, as Vault's own client does for a standby that redirects to the active node). A 2xx answer resolves; any
 * other status rejects with VaultStatusError (with the Retry-After of a 429 or 503), a 2xx body that is not JSON with
 * VAULT_RESPONSE_INVALID, an answer not complete within timeoutMs with VaultDeadlineError, a stop with ABORTED. With
 * proxies, https:// Vault is reached through a CONNECT tunnel and http:// Vault by forwarding (absolute URL and
 * Proxy-Authorization to the proxy), NO_PROXY deciding per host; proxy failures are PROXY_UNREACHABLE / PROXY_REFUSED.
 */
export function createVaultHttp(settings: VaultHttpSettings): VaultHttp {
  const base = checkedAddr(settings.addr);
  if (!(settings.timeoutMs > 0)) {
    throw new ConfigError({ message: `Vault timeout must be > 0 ms, got ${settings.timeoutMs}.` });
  }
  const secure = base.protocol === "https:";
  const tls = {
    keepAlive: true,
    rejectUnauthorized: settings.tlsSkipVerify !== true,
    // one context for every connection of the process, rather than the bundle parsed again for each (`ca`)
    ...(secure && settings.caCertPem ? { secureContext: caSecureContext(settings.caCertPem) } : {}),
  };
  const proxies = hasProxy(settings.proxies) ? settings.proxies : undefined;
  const agent: http.Agent = secure
    ? proxies
      ? createProxyAgent(true, { proxies, connectTimeoutMs: settings.timeoutMs, step: "vault" }, tls)
      : new (httpsModule().Agent)(tls)
    : new http.Agent({ keepAlive: true });
  const prefix = base.pathname.replace(/\/+$/, "");

  return {
    send: async (req) => {
      let url = new URL(`${base.origin}${prefix}/v1/${encodeURI(req.path)}`);
      for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
      for (let hops = 0; ; hops++) {
        const forwardVia = proxies && !secure ? proxyForUrl(url, proxies) : undefined;
        const answer = await exchange(url, req, settings, { agent, secure, forwardVia });
        const next = answer.location === undefined ? undefined : new URL(answer.location, url);
        if (!next) return answer;
        // a standby without request forwarding redirects to the active node; never to another scheme
        if (next.protocol !== base.protocol || hops >= MAX_REDIRECTS) {
          throw new VaultStatusError(answer.status, answer.body);
        }
        url = next;
      }
    },
    close: () => agent.destroy(),
  };
}

/** Redirects (307/308, method and body kept) followed per request. */
const MAX_REDIRECTS = 3;

interface Route {
  agent: http.Agent;
  secure: boolean;
  /** The proxy an http:// request is forwarded through. */
  forwardVia?: URL;
}

function exchange(
  url: URL,
  req: VaultHttpRequest,
  settings: VaultHttpSettings,
  route: Route,
): Promise<VaultHttpAnswer> {
  if (req.signal?.aborted) return Promise.reject(stoppedError(req.signal.reason, req.step));
  const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
  const headers: Record<string, string> = { "x-vault-request": "true", accept: "application/json" };
  if (settings.namespace) headers["x-vault-namespace"] = settings.namespace;
  if (req.token) headers["x-vault-token"] = req.token;
  if (payload !== undefined) {
    headers["content-type"] = "application/json";
    headers["content-length"] = String(Buffer.byteLength(payload));
  }
  const options: http.RequestOptions = { method: req.method, headers, agent: route.agent };
  const proxy = route.forwardVia;
  if (proxy) {
    // forward proxying: the request line names the absolute URL, the connection goes to the proxy
    options.host = proxy.hostname.replace(/^\[|\]$/g, "");
    options.port = Number(proxy.port) || 80;
    options.path = url.href;
    headers.host = url.host;
    if (proxy.username || proxy.password) {
      const user = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
      headers["proxy-authorization"] = `Basic ${Buffer.from(user).toString("base64")}`;
    }
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err: unknown, answer?: VaultHttpAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener("abort", onAbort);
      if (err) {
        request.destroy();
        reject(err);
      } else resolve(answer!);
    };
    const onAbort = () => finish(stoppedError(req.signal!.reason, req.step));
    const lib = route.secure ? httpsModule() : http;
    const request = proxy ? http.request(options) : lib.request(url, options);
    request.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", (e) => finish(e));
      res.on("aborted", () => finish(Object.assign(new Error("answer cut short"), { code: "ECONNRESET" })));
      res.on("end", () => {
        try {
          finish(undefined, answerOf(res, Buffer.concat(chunks).toString("utf8"), req, settings));
        } catch (e) {
          finish(e);
        }
      });
    });
    request.on("error", (e) => finish(e));
    const timer = setTimeout(() => finish(new VaultDeadlineError(settings.timeoutMs)), settings.timeoutMs);
    req.signal?.addEventListener("abort", onAbort, { once: true });
    request.end(payload);
  });
}

function answerOf(
  res: http.IncomingMessage,
  text: string,
  req: VaultHttpRequest,
  settings: VaultHttpSettings,
): VaultHttpAnswer {
  const status = res.statusCode ?? 0;
  let body: unknown = undefined;
  let json = true;
  if (text.trim() !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
      json = false;
    }
  }
  const location = res.headers.location;
  if ((status === 307 || status === 308) && location) return { status, body, location };
  const ok = status >= 200 && status < 300;
  if (!ok && !req.anyStatus) {
    const retryAfterMs =
      status === 429 || status === 503 ? parseRetryAfterMs(res.headers["retry-after"], settings.now()) : undefined;
    throw new VaultStatusError(status, body, retryAfterMs);
  }
  if (!json) {
    throw new IamraError({
      code: "VAULT_RESPONSE_INVALID",
      message: `Vault's answer from ${req.path} (HTTP ${status}) is not JSON.`,
      hint: "Check that VAULT_ADDR points at Vault itself (not a proxy or login page).",
      retryable: false,
      step: req.step,
      status,
      details: { path: req.path, contentType: res.headers["content-type"] },
    });
  }
  return { status, body };
}

/** VAULT_ADDR checked: http(s), no credentials, query or fragment; a path is kept as a prefix. */
function checkedAddr(addr: string): URL {
  const fail = (why: string, hint = "Set VAULT_ADDR to e.g. https://vault.example:8200.") =>
    new ConfigError({ code: "VAULT_ADDR_INVALID", message: why, hint });
  let url: URL;
  try {
    url = new URL(addr);
  } catch {
    throw fail(`Vault address ${JSON.stringify(addr)} is not a URL.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw fail(`Vault address ${JSON.stringify(addr)} must use http or https.`);
  }
  if (url.username || url.password || url.search || url.hash) {
    const hint = "Set VAULT_ADDR to scheme://host:port[/prefix].";
    throw fail("Vault address must not contain credentials, a query or a fragment.", hint);
  }
  return url;
}
