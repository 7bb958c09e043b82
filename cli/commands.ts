import type { CommandSpec } from "./commandSpec.js";
import { credentialProcessCommand } from "../credential-process/credentialProcessCommand.js";

/** Every command of the CLI, in the order --help lists them. */
export function commandSpecs(): CommandSpec[] {
  return [credentialProcessCommand];
}
