import type http from "node:http";
import type https from "node:https";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { IamraError } from "../errors.js";
import { httpModule } from "./httpModule.js";
import { httpsModule } from "./httpsModule.js";
import { describeProxy, type ProxyEnvironment } from "./proxyEnvironment.js";
import { proxyForUrl } from "./proxyForUrl.js";

/** How an agent reaches its targets: the proxy variables, the CONNECT timeout and the step named in errors. */
export interface ProxyAgentOptions {
  proxies: ProxyEnvironment;
  /** Longest wait for the proxy to accept and answer CONNECT, ms. */
  connectTimeoutMs: number;
  /** Pipeline step named in proxy errors, e.g. "create-session". */
  step?: string;
}

type ConnectionCallback = (err: Error | null, stream: Duplex) => void;
type ConnectionOptions = http.ClientRequestArgs;

/**
 * An http(s) Agent that decides per connection, from the target host and port, whether to go through the proxy
 * (HTTPS_PROXY / HTTP_PROXY minus NO_PROXY). Proxied connections are tunnels opened with CONNECT, for https and
 * http targets alike; TLS to the target then runs inside the tunnel with the agent's and request's TLS options, so
 * the proxy sees neither the request nor the answer. Proxy failures are typed: PROXY_UNREACHABLE, PROXY_REFUSED.
 */
export function createProxyAgent(
  secure: boolean,
  options: ProxyAgentOptions,
  agentOptions: https.AgentOptions = {},
): http.Agent {
  const route = (o: ConnectionOptions) => {
    const host = String(o.host ?? "localhost");
    const port = Number(o.port) || (secure ? 443 : 80);
    const target = new URL(`${secure ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}:${port}`);
    return { target, proxy: proxyForUrl(target, options.proxies) };
  };
  if (secure) {
    return new (class extends httpsModule().Agent {
      override createConnection(o: ConnectionOptions, callback?: ConnectionCallback): Duplex | undefined {
        const { target, proxy } = route(o);
        const direct = (extra: object) => super.createConnection({ ...o, ...extra }) as Duplex;
        if (!proxy) return direct({});
        openTunnel(proxy, target, options).then(
          (socket) => callback?.(null, direct({ socket })),
          (err: Error) => callback?.(err, undefined as never),
        );
        return undefined;
      }
    })(agentOptions);
  }
  return new (class extends httpModule().Agent {
    override createConnection(o: ConnectionOptions, callback?: ConnectionCallback): Duplex | undefined {
      const { target, proxy } = route(o);
      if (!proxy) return super.createConnection(o) as Duplex;
      openTunnel(proxy, target, options).then(
        (socket) => callback?.(null, socket),
        (err: Error) => callback?.(err, undefined as never),
      );
      return undefined;
    }
  })(agentOptions);
}

/** Opens a CONNECT tunnel to target's host:port through the proxy and resolves with the raw socket. */
export function openTunnel(proxy: URL, target: URL, options: ProxyAgentOptions): Promise<Socket> {
  const authority = `${target.hostname}:${target.port || (target.protocol === "https:" ? 443 : 80)}`;
  const headers: Record<string, string> = { host: authority };
  if (proxy.username || proxy.password) {
    const user = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    headers["proxy-authorization"] = `Basic ${Buffer.from(user).toString("base64")}`;
  }
  const where = { proxy: describeProxy(proxy), target: authority };
  return new Promise((resolve, reject) => {
    const req = httpModule().request({
      host: proxy.hostname.replace(/^\[|\]$/g, ""),
      port: Number(proxy.port) || 80,
      method: "CONNECT",
      path: authority,
      headers,
      agent: false,
      timeout: options.connectTimeoutMs,
    });
    req.once("connect", (res, socket, head) => {
      req.setTimeout(0);
      if (res.statusCode === 200) {
        if (head.length > 0) socket.unshift(head);
        resolve(socket);
        return;
      }
      socket.destroy();
      const status = res.statusCode ?? 0;
      reject(
        new IamraError({
          code: "PROXY_REFUSED",
          message:
            `the proxy ${where.proxy} refused to open a tunnel to ${where.target} (HTTP ${status} ${res.statusMessage ?? ""})`.trim(),
          hint:
            `allow ${where.target} in the proxy's rules (and CONNECT to port ${authority.split(":").pop()}), ` +
            "or list the host in NO_PROXY if it must be reached directly",
          retryable: status >= 500,
          step: options.step,
          status,
          details: where,
        }),
      );
    });
    req.once("timeout", () => req.destroy(Object.assign(new Error("no answer to CONNECT"), { code: "ETIMEDOUT" })));
    req.once("error", (cause: Error & { code?: string }) =>
      reject(
        new IamraError({
          code: "PROXY_UNREACHABLE",
          message:
            `cannot reach the proxy ${where.proxy} for ${where.target}: ${cause.code ?? ""} ${cause.message}`.replace(
              /\s+/g,
              " ",
            ),
          hint:
            "check HTTPS_PROXY/HTTP_PROXY (host and port) and that the proxy runs; list hosts that must be reached " +
            "directly in NO_PROXY",
          retryable: true,
          step: options.step,
          details: { ...where, errno: cause.code },
          cause,
        }),
      ),
    );
    req.end();
  });
}
