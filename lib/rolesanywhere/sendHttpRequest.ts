import type http from "node:http";
import { IamraError, isIamraError } from "../errors.js";
import { caSecureContext } from "../net/caSecureContext.js";
import { createProxyAgent } from "../net/createProxyAgent.js";
import { httpModule } from "../net/httpModule.js";
import { httpsModule } from "../net/httpsModule.js";
import { hasProxy, type ProxyEnvironment } from "../net/proxyEnvironment.js";
import { stoppedError } from "../time/stopSignal.js";
import { sendDirectRequest } from "./sendDirectRequest.js";

/** Transport settings for calls to Roles Anywhere. */
export interface HttpTransportOptions {
  /** Whole-request timeout (connect, send, wait, read), ms. */
  timeoutMs: number;
  /** Trusted CA certificates (PEM), used instead of Node's default roots, e.g. for a private endpoint. */
  caPem?: string;
  /** false only with --no-verify-ssl. */
  rejectUnauthorized?: boolean;
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY, read by the command; absent means direct connections. */
  proxies?: ProxyEnvironment;
  /** Keep-alive agents reused across calls (direct connections only); absent means a new connection per call. */
  agents?: KeepAliveAgents;
}

/** One keep-alive agent per scheme, shared by every call of a process; node:https is loaded on first use. */
export interface KeepAliveAgents {
  agentFor(secure: boolean): http.Agent;
}

/**
 * Idle time after which a kept connection is closed by us, ms: below the 60 s idle timeout common to AWS load
 * balancers, so a connection is rarely reused just as the server drops it (that case is retried once anyway).
 */
export const KEEP_ALIVE_IDLE_MS = 50_000;

/** Keep-alive agents for sendHttpRequest: idle connections close after idleMs and never keep the process alive. */
export function createKeepAliveAgents(idleMs = KEEP_ALIVE_IDLE_MS): KeepAliveAgents {
  const options = { keepAlive: true, timeout: idleMs, maxFreeSockets: 1 };
  const agents = new Map<boolean, http.Agent>();
  return {
    agentFor(secure) {
      let agent = agents.get(secure);
      if (!agent) {
        agent = secure ? new (httpsModule().Agent)(options) : new (httpModule().Agent)(options);
        agents.set(secure, agent);
      }
      return agent;
    },
  };
}

/** A raw HTTP answer. */
export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * Sends one request and reads the whole answer, failing with RA_TIMEOUT or RA_UNREACHABLE (both retryable). A stop
 * (`signal`) destroys the request at once and fails with ABORTED; nothing is sent once it has aborted. A request sent
 * on a kept connection that the server had closed meanwhile (reset or closed before any answer) is sent once more.
 * Without a proxy and without keep-alive agents the call goes out on a connection of its own (sendDirectRequest,
 * no node:http); otherwise through node:http(s) with the agent.
 */
export async function sendHttpRequest(
  url: URL,
  init: HttpRequestInit,
  opts: HttpTransportOptions,
  signal?: AbortSignal,
): Promise<HttpAnswer> {
  try {
    return await sendOnce(url, init, opts, signal);
  } catch (e) {
    if (!(e instanceof StaleConnectionError)) throw e;
    return sendOnce(url, init, { ...opts, agents: undefined }, signal);
  }
}

type HttpRequestInit = { method: string; headers: Record<string, string>; body: string };

/** A kept connection failed before any answer: the server had closed it while idle. */
class StaleConnectionError extends Error {}

const STALE_ERRNOS = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED"]);

function sendOnce(
  url: URL,
  init: HttpRequestInit,
  opts: HttpTransportOptions,
  signal?: AbortSignal,
): Promise<HttpAnswer> {
  if (signal?.aborted) return Promise.reject(stoppedError(signal.reason, "create-session"));
  if (!hasProxy(opts.proxies) && !opts.agents) return sendDirect(url, init, opts, signal);
  const secure = url.protocol === "https:";
  const lib = secure ? httpsModule() : httpModule();
  return new Promise((resolve, reject) => {
    let settled = false;
    let answered = false;
    const onAbort = () => fail(stoppedError(signal!.reason, "create-session"));
    const fail = (err: IamraError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer); // a pending timer would keep the process alive for up to timeoutMs after the failure
      signal?.removeEventListener("abort", onAbort);
      req.destroy();
      reject(err);
    };
    const req = lib.request(
      url,
      {
        method: init.method,
        headers: { ...init.headers, "content-length": String(Buffer.byteLength(init.body)) },
        // passed on to tls.connect (node:https's types omit it): one context of the bundle's per process
        ...(secure && opts.caPem ? { secureContext: caSecureContext(opts.caPem) } : {}),
        rejectUnauthorized: opts.rejectUnauthorized ?? true,
        minVersion: "TLSv1.2",
        agent: hasProxy(opts.proxies)
          ? createProxyAgent(url.protocol === "https:", {
              proxies: opts.proxies,
              connectTimeoutMs: opts.timeoutMs,
              step: "create-session",
            })
          : (opts.agents?.agentFor(secure) ?? false),
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", (e) => fail(unreachable(url, e)));
        res.on("end", () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") });
        });
      },
    );
    const timer = setTimeout(() => fail(timedOut(url, opts.timeoutMs)), opts.timeoutMs);
    req.on("error", (e: Error & { code?: string }) => {
      if (!settled && !answered && req.reusedSocket && STALE_ERRNOS.has(e.code ?? "")) {
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        reject(new StaleConnectionError(e.message));
        return;
      }
      clearTimeout(timer);
      fail(isIamraError(e) ? e : unreachable(url, e)); // proxy failures are already typed (PROXY_*)
    });
    signal?.addEventListener("abort", onAbort, { once: true });
    req.end(init.body);
  });
}

/** sendOnce for a direct call without kept connections: the same timeout, stop and errors, without node:http. */
function sendDirect(url: URL, init: HttpRequestInit, opts: HttpTransportOptions, signal?: AbortSignal) {
  const { answer, cancel } = sendDirectRequest(url, init, opts);
  return new Promise<HttpAnswer>((resolve, reject) => {
    let settled = false;
    const finish = (err: IamraError | undefined, result?: HttpAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer); // a pending timer would keep the process alive for up to timeoutMs
      signal?.removeEventListener("abort", onAbort);
      if (err) {
        cancel();
        reject(err);
      } else resolve(result!);
    };
    const onAbort = () => finish(stoppedError(signal!.reason, "create-session"));
    const timer = setTimeout(() => finish(timedOut(url, opts.timeoutMs)), opts.timeoutMs);
    signal?.addEventListener("abort", onAbort, { once: true });
    answer.then(
      (a) => finish(undefined, a),
      (e: Error & { code?: string }) => finish(unreachable(url, e)),
    );
  });
}

function timedOut(url: URL, timeoutMs: number): IamraError {
  return new IamraError({
    code: "RA_TIMEOUT",
    message: `Roles Anywhere did not answer within ${timeoutMs} ms (${url.origin})`,
    hint: "check network access to the endpoint, or raise --timeout",
    retryable: true,
    step: "create-session",
    details: { endpoint: url.origin, timeoutMs },
  });
}

function unreachable(url: URL, cause: Error & { code?: string }): IamraError {
  const tls = /CERT|SSL|TLS/i.test(cause.code ?? "") || /certificate/i.test(cause.message);
  return new IamraError({
    code: tls ? "RA_TLS_FAILED" : "RA_UNREACHABLE",
    message: `cannot reach Roles Anywhere at ${url.origin}: ${cause.code ?? ""} ${cause.message}`.replace(/\s+/g, " "),
    hint: tls
      ? "the endpoint's TLS certificate is not trusted: pass its CA bundle (--ca-bundle) or, for tests only, --no-verify-ssl"
      : "check the endpoint URL (--endpoint / AWS_ENDPOINT_URL_ROLESANYWHERE), DNS and network access",
    retryable: !tls,
    step: "create-session",
    details: { endpoint: url.origin, errno: cause.code },
    cause,
  });
}
