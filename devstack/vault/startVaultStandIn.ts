import { systemClock, type Clock } from "../../lib/time/clock.js";
import { silentLogger, type Logger } from "../../lib/log.js";
import { listenLoopback } from "../listenLoopback.js";
import { VaultState } from "./state/VaultState.js";
import type { Backend } from "./http/vaultTypes.js";
import { createSysBackend } from "./sys/createSysBackend.js";
import { createTokenBackend } from "./token/tokenRoutes.js";
import { handleVaultRequest, type StandInControls } from "./http/handleVaultRequest.js";

/** Options of the Vault stand-in. */
export interface VaultStandInOptions {
  host?: string;
  port?: number;
  /** A fixed root token (like `vault server -dev -dev-root-token-id`); default: a random `hvs.` token. */
  rootToken?: string;
  clock?: Clock;
  log?: Logger;
}

/** A running Vault stand-in (a test double, not Vault) and its test controls. */
export interface VaultStandIn {
  url: string;
  rootToken: string;
  /** Seals it: everything but sys/health, sys/seal-status and sys/unseal answers 503 `Vault is sealed`. */
  seal(): void;
  unseal(): void;
  /** Delays every response by `ms` (slow Vault, for timeout tests). */
  setDelay(ms: number): void;
  /** Makes the next `n` requests fail with `status` and a Vault error envelope. */
  failNext(n: number, status: number): void;
  /** Every request: method, URL path and the accessor of the token used (never a token or a secret). */
  requests: Array<{ method: string; path: string; token?: string }>;
  /** The in-memory state, for assertions in tests. */
  state: VaultState;
  close(): Promise<void>;
}

/**
 * Starts the loopback Vault stand-in: sys, token, ACL, PKI and kubernetes auth answering as OpenBao does
 * (test/contract/vault/).
 */
export async function startVaultStandIn(opts: VaultStandInOptions = {}): Promise<VaultStandIn> {
  const log = (opts.log ?? silentLogger()).child({ component: "vault-stand-in" });
  const state = new VaultState(opts.clock ?? systemClock, log);
  const mount = (path: string, table: "secret" | "auth", type: string, description: string, backend?: Backend) =>
    state.addMount({ path, table, type, description, backend: backend ?? { type, routes: [] } });
  mount("sys/", "secret", "system", "system endpoints used for control, policy and debugging", createSysBackend());
  mount("identity/", "secret", "identity", "identity store");
  mount("cubbyhole/", "secret", "cubbyhole", "per-token private secret storage");
  mount("token/", "auth", "token", "token based credentials", createTokenBackend());
  const root = state.tokens.create({
    id: opts.rootToken,
    policies: ["root"],
    path: "auth/token/root",
    displayName: "root",
    creationTtl: 0,
    renewable: false,
    orphan: true,
  });

  const controls: StandInControls = { delayMs: 0, failures: [], requests: [] };
  const server = await listenLoopback("vault stand-in", (req, res) => handleVaultRequest(state, controls, req, res), {
    host: opts.host,
    port: opts.port,
    log,
  });
  const url = server.url;
  log.info({ url }, "vault stand-in listening");
  return {
    url,
    rootToken: root.id,
    seal: () => void (state.sealed = true),
    unseal: () => void (state.sealed = false),
    setDelay: (ms) => void (controls.delayMs = ms),
    failNext: (n, status) => {
      for (let i = 0; i < n; i++) controls.failures.push({ status });
    },
    requests: controls.requests,
    state,
    close: () => server.close(),
  };
}
