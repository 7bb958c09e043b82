import type { Writable } from "node:stream";
import { createLogger } from "../../../../lib/log.js";
import type { Clock } from "../../../../lib/time/clock.js";
import { createVaultClient } from "../../../../lib/vault/createVaultClient.js";
import type { VaultClient, VaultClientOptions } from "../../../../lib/vault/VaultClient.js";

/** A clock frozen at `nowMs` whose sleep() records the delay and returns at once. */
export function fakeClock(nowMs = 1_700_000_000_000): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, now: () => nowMs, sleep: async (ms) => void sleeps.push(ms) };
}

/** A client against `addr` with a fake clock and a logger whose JSON lines are collected in `lines`. */
export function testClient(
  addr: string,
  extra: Partial<VaultClientOptions> = {},
): {
  client: VaultClient;
  clock: ReturnType<typeof fakeClock>;
  lines: string[];
} {
  const lines: string[] = [];
  const destination = { write: (s: string) => void lines.push(s) } as unknown as Writable;
  const clock = fakeClock();
  const client = createVaultClient({
    addr,
    timeoutMs: 2000,
    maxAttempts: 3,
    backoffBaseMs: 10,
    backoffCapMs: 40,
    clock,
    log: createLogger({ level: "debug", destination }),
    random: () => 0.5,
    ...extra,
  });
  return { client, clock, lines };
}

/** The parsed log lines with the given message. */
export function logged(lines: string[], msg: string): Array<Record<string, unknown>> {
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === msg);
}

/** Waits (bounded, 15 s) until `msg` has been logged `n` times: e.g. a retry that is about to wait. */
export async function untilLogged(lines: string[], msg: string, n = 1): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (logged(lines, msg).length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  if (logged(lines, msg).length < n) throw new Error(`"${msg}" not logged ${n} times within 15 s`);
}
