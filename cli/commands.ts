import type { CommandSpec } from "./commandSpec.js";

/** Every command of the CLI, in the order --help lists them. */
export function commandSpecs(): CommandSpec[] {
  return [];
}
