import { createServer } from "node:net";
import { join } from "node:path";
import type { Logger } from "../lib/log.js";
import type { Clock } from "../lib/time/clock.js";
import { startOpenBaoDevServer } from "./openbao/startOpenBaoDevServer.js";
import { startVaultStandIn, type VaultStandIn } from "./vault/startVaultStandIn.js";

/** Which Vault the devstack runs on: its stand-in, an OpenBao dev server it starts, or a server that already runs. */
export type DevVaultChoice =
  { kind: "stand-in" } | { kind: "openbao"; baoPath: string } | { kind: "external"; addr: string; token: string };

/** The Vault a devstack runs on, with a token that may configure it. */
export interface DevVault {
  kind: DevVaultChoice["kind"];
  url: string;
  token: string;
  /** For people: "stand-in", "OpenBao v2.7.2 dev server, pid 123, output in …" or "existing server". */
  description: string;
  /** Only when kind is "stand-in". */
  standIn?: VaultStandIn;
  /** Only when kind is "openbao": the server's process id. */
  pid?: number;
  /** Stops what the devstack started (an external server is left running). */
  close(): Promise<void>;
}

/** A free TCP port on host (the OS picks it; OpenBao cannot be told to listen on port 0 and report it). */
async function freePort(host: string): Promise<number> {
  return await new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, host, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Starts (or, for an existing server, only describes) the devstack's Vault on host:port (0 = a free port). */
export async function startDevVault(
  choice: DevVaultChoice,
  o: { host: string; port: number; dir: string; clock: Clock; log: Logger },
): Promise<DevVault> {
  switch (choice.kind) {
    case "stand-in": {
      const standIn = await startVaultStandIn({ host: o.host, port: o.port, clock: o.clock, log: o.log });
      return {
        kind: choice.kind,
        url: standIn.url,
        token: standIn.rootToken,
        description: "stand-in",
        standIn,
        close: () => standIn.close(),
      };
    }
    case "openbao": {
      const port = o.port === 0 ? await freePort(o.host) : o.port;
      const logPath = join(o.dir, "openbao.log");
      const server = await startOpenBaoDevServer({ baoPath: choice.baoPath, host: o.host, port, logPath });
      o.log.info({ url: server.url, pid: server.pid, version: server.version }, "openbao dev server started");
      return {
        kind: choice.kind,
        url: server.url,
        token: server.rootToken,
        pid: server.pid,
        description: `OpenBao ${server.version} dev server, pid ${server.pid}, output in ${server.logPath}`,
        close: () => server.close(),
      };
    }
    case "external":
      return {
        kind: choice.kind,
        url: choice.addr,
        token: choice.token,
        description: "existing server",
        close: async () => {}, // not ours to stop
      };
  }
}
