import http from "node:http";
import { IamraError, isIamraError } from "../errors.js";
import { createProxyAgent } from "../net/createProxyAgent.js";
import { httpsModule } from "../net/httpsModule.js";
import { hasProxy, type ProxyEnvironment } from "../net/proxyEnvironment.js";
import { stoppedError } from "../time/stopSignal.js";

/** Transport settings for calls to Roles Anywhere. */
export interface HttpTransportOptions {
  /** Whole-request timeout (connect, send, wait, read), ms. */
  timeoutMs: number;
  /** Extra trusted CA certificates (PEM), e.g. for a private endpoint. */
  caPem?: string;
  /** false only with --no-verify-ssl. */
  rejectUnauthorized?: boolean;
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY, read by the command; absent means direct connections. */
  proxies?: ProxyEnvironment;
}

/** A raw HTTP answer. */
export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * Sends one request and reads the whole answer, failing with RA_TIMEOUT or RA_UNREACHABLE (both retryable). A stop
 * (`signal`) destroys the request at once and fails with ABORTED; nothing is sent once it has aborted.
 */
export function sendHttpRequest(
  url: URL,
  init: { method: string; headers: Record<string, string>; body: string },
  opts: HttpTransportOptions,
  signal?: AbortSignal,
): Promise<HttpAnswer> {
  const lib = url.protocol === "https:" ? httpsModule() : http;
  if (signal?.aborted) return Promise.reject(stoppedError(signal.reason, "create-session"));
  return new Promise((resolve, reject) => {
    let settled = false;
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
        ca: opts.caPem,
        rejectUnauthorized: opts.rejectUnauthorized ?? true,
        minVersion: "TLSv1.2",
        agent: hasProxy(opts.proxies)
          ? createProxyAgent(url.protocol === "https:", {
              proxies: opts.proxies,
              connectTimeoutMs: opts.timeoutMs,
              step: "create-session",
            })
          : false,
      },
      (res) => {
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
    const timer = setTimeout(
      () =>
        fail(
          new IamraError({
            code: "RA_TIMEOUT",
            message: `Roles Anywhere did not answer within ${opts.timeoutMs} ms (${url.origin})`,
            hint: "check network access to the endpoint, or raise --timeout",
            retryable: true,
            step: "create-session",
            details: { endpoint: url.origin, timeoutMs: opts.timeoutMs },
          }),
        ),
      opts.timeoutMs,
    );
    req.on("error", (e) => {
      clearTimeout(timer);
      fail(isIamraError(e) ? e : unreachable(url, e)); // proxy failures are already typed (PROXY_*)
    });
    signal?.addEventListener("abort", onAbort, { once: true });
    req.end(init.body);
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
