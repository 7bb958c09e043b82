import type { CommandContext } from "../cli/commandSpec.js";
import type { RefresherSettingsValues } from "./refresherCommand.js";
import { proxyEnvironmentFrom } from "../lib/net/proxyEnvironment.js";
import { systemClock } from "../lib/time/clock.js";
import { createRefresher, type RefresherValues } from "./createRefresher.js";

/** Runs the refresher until SIGTERM/SIGINT: adopt or obtain credentials, keep them fresh, deliver them. */
export async function runRefresher(values: RefresherSettingsValues, ctx: CommandContext): Promise<void> {
  const v: RefresherValues = { ...values, proxies: proxyEnvironmentFrom(ctx.env) };
  const refresher = await createRefresher(v, { env: ctx.env, clock: systemClock, log: ctx.log, signal: ctx.signal });
  await refresher.finished;
}
