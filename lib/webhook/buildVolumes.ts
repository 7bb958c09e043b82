/** The pod volumes the webhook adds. */
import type { InjectionConfig } from "./parseInjectionConfig.js";
import { SHARED_VOLUME, TOKEN_VOLUME } from "./injectionLayout.js";
import type { Volume } from "./podTypes.js";

/**
 * The shared in-memory emptyDir (credentials outputs and the endpoint token; 1 MiB is ample) and the projected
 * service-account token with the Vault audience (the kubelet rotates it; the refresher reads it at every login).
 */
export function buildVolumes(config: InjectionConfig): Volume[] {
  return [
    { name: SHARED_VOLUME, emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
    {
      name: TOKEN_VOLUME,
      projected: {
        sources: [
          {
            serviceAccountToken: {
              audience: config.audience,
              expirationSeconds: config.tokenExpirationSeconds,
              path: "token",
            },
          },
        ],
      },
    },
  ];
}
