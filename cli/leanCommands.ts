import type { CommandSpec } from "./commandSpec.js";

/**
 * Each product command's spec by name, imported only when that command runs (the start-up path loads one command's
 * settings, not all of them). Same names and specs as commandSpecs() (cli/commands.ts).
 */
export const leanCommands: Readonly<Record<string, () => Promise<CommandSpec>>> = {
  init: async () => (await import("../init/initCommand.js")).initCommand,
  refresher: async () => (await import("../refresher/refresherCommand.js")).refresherCommand,
  "credential-process": async () =>
    (await import("../credential-process/credentialProcessLeanCommand.js")).credentialProcessLeanCommand,
  "vault-config": async () => (await import("../vault-config/vaultConfigCommand.js")).vaultConfigCommand,
  webhook: async () => (await import("../webhook/webhookCommand.js")).webhookCommand,
};
