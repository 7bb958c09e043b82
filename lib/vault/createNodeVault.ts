import http from "node:http";
import https from "node:https";
import nodeVault from "node-vault";
import { ConfigError } from "../errors.js";

/** The node-vault 0.12 client, with the fields its bundled typings leave out. */
export type NodeVaultClient = Omit<nodeVault.client, "token"> & {
  token: string | undefined;
  namespace: string | undefined;
  pathPrefix: string;
  noCustomHTTPVerbs: boolean;
};

/** What createNodeVault needs: address, namespace, TLS trust and the per-request timeout. */
export interface NodeVaultSettings {
  addr: string;
  namespace?: string;
  caCertPem?: string;
  tlsSkipVerify?: boolean;
  timeoutMs: number;
}

/** A node-vault client plus the agents it uses, so that the owner can close idle connections. */
export interface NodeVaultHandle {
  vault: NodeVaultClient;
  close(): void;
}

/**
 * Builds a node-vault client that depends only on `settings`, never on the process environment:
 * node-vault falls back to VAULT_TOKEN, VAULT_NAMESPACE, VAULT_PREFIX and (for any non-empty value, even "false")
 * VAULT_SKIP_VERIFY when an option is left out, so every one of them is set explicitly here. TLS trust goes into our
 * own https.Agent (node-vault forwards `httpsAgent`/`httpAgent` and `timeout` to axios and drops other options).
 * `noCustomHTTPVerbs` makes list() send GET ?list=1 instead of the LIST verb, which node:http servers and some proxies reject.
 */
export function createNodeVault(settings: NodeVaultSettings): NodeVaultHandle {
  const endpoint = checkedAddr(settings.addr);
  if (!(settings.timeoutMs > 0)) throw new ConfigError({ message: `Vault timeout must be > 0 ms, got ${settings.timeoutMs}.` });
  const verify = settings.tlsSkipVerify !== true;
  const httpAgent = new http.Agent({ keepAlive: true });
  const httpsAgent = new https.Agent({
    keepAlive: true,
    rejectUnauthorized: verify,
    ...(settings.caCertPem ? { ca: settings.caCertPem } : {}),
  });
  const options: nodeVault.VaultOptions & { rpDefaults: { strictSSL: boolean; timeout: number } } = {
    endpoint,
    apiVersion: "v1",
    pathPrefix: "",
    noCustomHTTPVerbs: true,
    rpDefaults: { strictSSL: verify, timeout: settings.timeoutMs },
    requestOptions: { timeout: settings.timeoutMs, httpAgent, httpsAgent },
  };
  const vault = nodeVault(options) as unknown as NodeVaultClient;
  // node-vault reads these from the environment when the option is falsy; lib/ must not.
  vault.token = undefined;
  vault.namespace = settings.namespace || undefined;
  vault.pathPrefix = "";
  return {
    vault,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function checkedAddr(addr: string): string {
  let url: URL;
  try {
    url = new URL(addr);
  } catch {
    throw new ConfigError({ code: "VAULT_ADDR_INVALID", message: `Vault address ${JSON.stringify(addr)} is not a URL.`, hint: "Set VAULT_ADDR to e.g. https://vault.example:8200." });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError({ code: "VAULT_ADDR_INVALID", message: `Vault address ${JSON.stringify(addr)} must use http or https.`, hint: "Set VAULT_ADDR to e.g. https://vault.example:8200." });
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ConfigError({ code: "VAULT_ADDR_INVALID", message: "Vault address must not contain credentials, a query or a fragment.", hint: "Set VAULT_ADDR to scheme://host:port[/prefix]." });
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}
