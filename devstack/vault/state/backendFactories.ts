import type { Backend } from "../http/vaultTypes.js";
import { createPkiBackend } from "../pki/createPkiBackend.js";
import { createKubernetesAuthBackend } from "../kubernetesAuth/createKubernetesAuthBackend.js";

/** Secrets engines the stand-in can mount with `sys/mounts/:path`, by type. */
export const SECRET_ENGINES: Record<string, () => Backend> = {
  pki: createPkiBackend,
};

/** Auth methods the stand-in can enable with `sys/auth/:path`, by type. */
export const AUTH_METHODS: Record<string, () => Backend> = {
  kubernetes: createKubernetesAuthBackend,
};
