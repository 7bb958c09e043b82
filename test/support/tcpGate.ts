/** Test helper: a loopback TCP forwarder that can refuse connections for a while (an outage in front of a server). */
import { connect, createServer, type Socket } from "node:net";

/** A running gate: `url` forwards to the target until block(); unblock() lets connections through again. */
export interface TcpGate {
  url: string;
  /** Closes every open connection and resets new ones until unblock(). */
  block(): void;
  unblock(): void;
  close(): Promise<void>;
}

/** Starts a gate on 127.0.0.1:0 forwarding to the host and port of `targetUrl` (http://host:port). */
export async function startTcpGate(targetUrl: string): Promise<TcpGate> {
  const target = new URL(targetUrl);
  const open = new Set<Socket>();
  let blocked = false;
  const server = createServer((client) => {
    if (blocked) return void client.destroy();
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on("close", () => open.delete(s));
      s.on("error", () => undefined); // the other side is destroyed with it below; nothing to report
    }
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    block() {
      blocked = true;
      for (const s of open) s.destroy();
    },
    unblock() {
      blocked = false;
    },
    close: async () => {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
