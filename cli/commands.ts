import type { CommandSpec } from "./commandSpec.js";
import { credentialProcessCommand } from "../credential-process/credentialProcessCommand.js";
import { initCommand } from "../init/initCommand.js";
import { refresherCommand } from "../refresher/refresherCommand.js";
import { vaultConfigCommand } from "../vault-config/vaultConfigCommand.js";
import { webhookCommand } from "../webhook/webhookCommand.js";

/** Every command of the product CLI, in the order --help lists them (the devstack has its own: devstack/main.ts). */
export function commandSpecs(): CommandSpec[] {
  return [initCommand, refresherCommand, credentialProcessCommand, vaultConfigCommand, webhookCommand];
}
