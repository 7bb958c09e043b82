import type { Backend } from "../http/vaultTypes.js";
import { sysSealRoutes } from "./sysSealRoutes.js";
import { sysMountRoutes } from "./sysMountRoutes.js";
import { sysPolicyRoutes } from "./sysPolicyRoutes.js";

/** The system backend mounted at `sys/` (the subset the stand-in emulates). */
export function createSysBackend(): Backend {
  return { type: "system", routes: [...sysSealRoutes, ...sysMountRoutes, ...sysPolicyRoutes] };
}
