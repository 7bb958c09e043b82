/** The two Vault servers the contract suite runs against: the devstack stand-in and a real OpenBao dev server. */
import { startVaultStandIn } from "../../../devstack/vault/startVaultStandIn.js";
import { startOpenBao } from "../../support/openbao.js";

/** A raw HTTP answer: status, headers and the body as text and parsed JSON (undefined when empty or not JSON). */
export interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
  body: any;
}

/** One running Vault-compatible server, as the contract suite sees it. */
export interface VaultTarget {
  name: string;
  url: string;
  rootToken: string;
  /**
   * Calls the HTTP API (path relative to /v1/). `token` defaults to the root token; pass null to send none.
   * A string body is sent as is (for malformed requests).
   */
  raw(method: string, path: string, body?: unknown, token?: string | null): Promise<RawAnswer>;
  /** PUT sys/seal with the root token. */
  seal(): Promise<RawAnswer>;
  /** PUT sys/unseal with the server's unseal key. */
  unseal(): Promise<RawAnswer>;
  stop(): Promise<void>;
}

/** How to start one target. */
export interface TargetFactory {
  name: string;
  start(): Promise<VaultTarget>;
}

function rawCaller(url: string, rootToken: string): VaultTarget["raw"] {
  return async (method, path, body, token) => {
    const headers: Record<string, string> = {};
    const t = token === undefined ? rootToken : token;
    if (t !== null) headers["X-Vault-Token"] = t;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const res = await fetch(`${url}/v1/${path.replace(/^\//, "")}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      redirect: "manual",
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined; // not JSON (e.g. a raw PEM answer); the text is still returned
    }
    return { status: res.status, contentType: res.headers.get("content-type") ?? "", text, body: parsed };
  };
}

/** The devstack's Vault stand-in (in process), sealed and unsealed through its HTTP API. */
export const standInTarget: TargetFactory = {
  name: "Vault stand-in",
  async start() {
    const vault = await startVaultStandIn({ rootToken: "contract-root" });
    const raw = rawCaller(vault.url, vault.rootToken);
    return {
      name: "Vault stand-in",
      url: vault.url,
      rootToken: vault.rootToken,
      raw,
      seal: () => raw("PUT", "sys/seal"),
      unseal: () => raw("PUT", "sys/unseal", { key: "any" }, null),
      stop: () => vault.close(),
    };
  },
};

/** A real OpenBao dev server (`bao server -dev`), sealed and unsealed through its HTTP API. */
export const openBaoTarget: TargetFactory = {
  name: "OpenBao",
  async start() {
    const bao = await startOpenBao();
    const raw = rawCaller(bao.url, bao.rootToken);
    return {
      name: `OpenBao ${bao.version}`,
      url: bao.url,
      rootToken: bao.rootToken,
      raw,
      seal: () => raw("PUT", "sys/seal"),
      unseal: () => raw("PUT", "sys/unseal", { key: bao.unsealKey }, null),
      stop: () => bao.stop(),
    };
  },
};

/** Both targets, in the order the suite runs them. */
export const vaultTargets: TargetFactory[] = [standInTarget, openBaoTarget];
