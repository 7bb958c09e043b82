import { mkdir } from "node:fs/promises";
import { writeFileAtomic } from "../lib/deliver/writeFileAtomic.js";
import { resolve } from "node:path";
import type { CommandContext } from "../cli/commandSpec.js";
import type { ValuesOf } from "../lib/config/setting.js";
import type { runSettings } from "./devstackCommand.js";
import { startDevstack } from "./startDevstack.js";
import { renderDevstackBanner } from "./renderDevstackBanner.js";
import { devVaultChoiceFrom } from "./devVaultSettings.js";

/** Runs the devstack until SIGINT/SIGTERM, printing how to use it and writing the optional state file. */
export async function runDevstack(v: ValuesOf<typeof runSettings>, ctx: CommandContext): Promise<void> {
  const vault = devVaultChoiceFrom(v, ctx.env);
  const dir = resolve(v.dir);
  await mkdir(dir, { recursive: true });
  const stack = await startDevstack({
    portBase: v.portBase,
    dir,
    log: ctx.log,
    minSessionSeconds: v.minSessionSeconds,
    tps: v.tps,
    vault,
  });
  // 0600 even over an older, wider file: it holds the Vault root token
  if (v.stateFile) await writeFileAtomic(v.stateFile, JSON.stringify(stack.info, null, 2) + "\n", { mode: 0o600 });
  ctx.stdout.write(renderDevstackBanner(stack.info, { portBase: v.portBase, stateFile: v.stateFile }));
  await new Promise<void>((done) => {
    if (ctx.signal.aborted) return done();
    ctx.signal.addEventListener("abort", () => done(), { once: true });
  });
  await stack.close();
  ctx.stdout.write("devstack stopped\n");
}
