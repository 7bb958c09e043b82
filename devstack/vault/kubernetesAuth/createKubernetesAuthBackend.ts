import type { Backend } from "../http/vaultTypes.js";
import { VaultHttpError } from "../http/VaultHttpError.js";
import { KubernetesAuthState } from "./KubernetesAuthState.js";
import { kubernetesConfigRoutes } from "./kubernetesConfigRoutes.js";
import { kubernetesRoleRoutes } from "./kubernetesRoleRoutes.js";
import { kubernetesLogin } from "./kubernetesLogin.js";

/** A fresh kubernetes auth method for one mount (vault-plugin-auth-kubernetes, the subset in the README). */
export function createKubernetesAuthBackend(): Backend {
  const st = new KubernetesAuthState();
  return {
    type: "kubernetes",
    routes: [
      ...kubernetesConfigRoutes(st),
      ...kubernetesRoleRoutes(st),
      {
        pattern: /^login$/,
        fields: { role: "string", jwt: "string" },
        unauthenticated: ["update"],
        ops: { update: (r) => kubernetesLogin(st, r) },
      },
    ],
    loginRenew: (token) => {
      const role = token.role ? st.roles.get(token.role.toLowerCase()) : undefined;
      if (!role) throw VaultHttpError.badRequest(`role ${token.role ?? ""} does not exist during renewal`);
      return { ttl: role.token_ttl || role.token_period, maxTtl: role.token_max_ttl };
    },
  };
}
