/** The pod volumes the webhook adds. */
import type { InjectionConfig } from "./parseInjectionConfig.js";
import {
  KUBE_API_TOKEN_SECONDS,
  KUBE_API_VOLUME,
  SHARED_VOLUME,
  TOKEN_VOLUME,
  VAULT_CA_VOLUME,
} from "./injectionLayout.js";
import type { Volume } from "./podTypes.js";

/**
 * The shared in-memory emptyDir (credentials outputs and the endpoint token; 1 MiB is ample), the projected
 * service-account token with the Vault audience (the kubelet rotates it; the refresher reads it at every login), the
 * pod's API token for Events (as the kubelet's automount builds it) and the Vault CA ConfigMap, when configured.
 */
export function buildVolumes(config: InjectionConfig): Volume[] {
  const volumes: Volume[] = [
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
  if (config.kubernetesEvents) {
    volumes.push({
      name: KUBE_API_VOLUME,
      projected: {
        sources: [
          { serviceAccountToken: { expirationSeconds: KUBE_API_TOKEN_SECONDS, path: "token" } },
          { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
          {
            downwardAPI: {
              items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }],
            },
          },
        ],
      },
    });
  }
  if (config.vaultCa) {
    volumes.push({
      name: VAULT_CA_VOLUME,
      configMap: { name: config.vaultCa.configMap, items: [{ key: config.vaultCa.key, path: "ca.crt" }] },
    });
  }
  return volumes;
}
