import type { CommandContext } from "../cli/commandSpec.js";
import type { SettingsValues } from "../lib/config/setting.js";
import { proxyEnvironmentFrom } from "../lib/net/proxyEnvironment.js";
import { systemClock } from "../lib/time/clock.js";
import { createRefresher, type RefresherValues } from "./createRefresher.js";

/** Runs the refresher until SIGTERM/SIGINT: adopt or obtain credentials, keep them fresh, deliver them. */
export async function runRefresher(raw: SettingsValues, ctx: CommandContext): Promise<void> {
  const v: RefresherValues = { ...(raw as unknown as RefresherValues), proxies: proxyEnvironmentFrom(ctx.env) };
  if (v.debug) ctx.log.level = "debug";
  const refresher = await createRefresher(v, { env: ctx.env, clock: systemClock, log: ctx.log, signal: ctx.signal });
  await refresher.finished;
}
