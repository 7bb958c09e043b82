import { BlockList, isIP } from "node:net";
import type { ProxyEnvironment } from "./proxyEnvironment.js";

const DEFAULT_PORT: Record<string, number> = { "http:": 80, "https:": 443 };

/**
 * The proxy to use for `target`, or undefined to connect directly; Vault, Roles Anywhere and STS calls all decide with
 * it, so they agree. NO_PROXY entries are matched as the proxy-from-env package (axios) matches them:
 * "*" bypasses everything; * "host" matches exactly; ".domain" and "*.domain" match names ending in ".domain";
 * "host:port" only that port;
 * "10.0.0.0/8" or "fd00::/8" any address in the block; "localhost", 127.0.0.0/8 and ::1 stand for each other.
 * Loopback targets are proxied unless NO_PROXY says otherwise.
 */
export function proxyForUrl(target: URL, proxies: ProxyEnvironment): URL | undefined {
  const proxy = target.protocol === "https:" ? proxies.httpsProxy : proxies.httpProxy;
  if (!proxy) return undefined;
  return bypassesProxy(target, proxies.noProxy ?? "") ? undefined : proxy;
}

/** True when `target` matches the NO_PROXY list. */
export function bypassesProxy(target: URL, noProxy: string): boolean {
  const list = noProxy.toLowerCase().trim();
  if (list === "") return false;
  if (list === "*") return true;
  const host = bareHost(target.hostname.toLowerCase());
  const port = Number(target.port) || DEFAULT_PORT[target.protocol] || 0;
  return list.split(/[\s,]+/).some((entry) => entry !== "" && entryMatches(entry, host, port));
}

function entryMatches(entry: string, host: string, port: number): boolean {
  if (entry === "*") return true;
  if (entry.includes("/")) return inBlock(entry, host);
  const { name, entryPort } = splitPort(entry);
  if (entryPort !== undefined && entryPort !== port) return false;
  const wanted = bareHost(name);
  if (!wanted) return false;
  if (wanted.startsWith("*.") || wanted.startsWith(".")) return host.endsWith(wanted.replace(/^\*/, ""));
  return host === wanted || (isLoopback(host) && isLoopback(wanted));
}

/** "host:port", "[v6]:port", "v6" or "host" → name and optional port. */
function splitPort(entry: string): { name: string; entryPort?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1]!, entryPort: bracketed[2] ? Number(bracketed[2]) : undefined };
  if (isIP(entry) === 6) return { name: entry };
  const withPort = /^(.+):(\d+)$/.exec(entry);
  return withPort ? { name: withPort[1]!, entryPort: Number(withPort[2]) } : { name: entry };
}

function bareHost(host: string): string {
  return host.replace(/^\[|\]$/g, "").replace(/\.+$/, "");
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || (isIP(host) === 4 && host.startsWith("127."));
}

function inBlock(entry: string, host: string): boolean {
  const [net, bits] = entry.split("/");
  const family = isIP(net ?? "");
  const hostFamily = isIP(host);
  if (!family || family !== hostFamily || !/^\d+$/.test(bits ?? "")) return false;
  const list = new BlockList();
  try {
    list.addSubnet(net!, Number(bits), family === 4 ? "ipv4" : "ipv6");
  } catch {
    return false; // a malformed block matches nothing, as in axios
  }
  return list.check(host, family === 4 ? "ipv4" : "ipv6");
}
