/**
 * ServiceAccount annotations read from the Kubernetes API (GET /api/v1/namespaces/<ns>/serviceaccounts/<name>) with
 * the webhook's own in-cluster token, cached for a short time like the EKS pod identity webhook's informer cache, so a
 * burst of pods for one ServiceAccount costs one API call.
 */
import { IamraError } from "../errors.js";
import { requestKubernetesApi } from "../kubernetes/requestKubernetesApi.js";
import type { Clock } from "../time/clock.js";
import type { ServiceAccountLookup } from "./serviceAccountLookup.js";

/** Options of createKubernetesServiceAccountLookup. */
export interface KubernetesServiceAccountOptions {
  /** https://<host>:<port> of the API server (in a pod: KUBERNETES_SERVICE_HOST and _PORT). */
  apiUrl: string;
  /** Reads the bearer token at every API call (the kubelet rotates the projected token). */
  readToken: () => Promise<string>;
  /** PEM CA bundle that signed the API server's certificate. */
  caPem?: string;
  timeoutMs: number;
  /** How long an answer (including "not found") is reused, ms. */
  cacheTtlMs: number;
  clock: Clock;
}

interface Cached {
  expiresAtMs: number;
  value: Promise<Record<string, string> | undefined>;
}

/** A ServiceAccountLookup over the Kubernetes API; failures throw KUBERNETES_API_FAILED (retryable), never cached. */
export function createKubernetesServiceAccountLookup(o: KubernetesServiceAccountOptions): ServiceAccountLookup {
  const cache = new Map<string, Cached>();
  return {
    annotations(namespace, name) {
      const key = `${namespace}/${name}`;
      const hit = cache.get(key);
      if (hit && hit.expiresAtMs > o.clock.now()) return hit.value;
      const value = fetchAnnotations(o, namespace, name);
      cache.set(key, { expiresAtMs: o.clock.now() + o.cacheTtlMs, value });
      value.catch(() => cache.delete(key)); // the next pod asks again
      return value;
    },
  };
}

async function fetchAnnotations(
  o: KubernetesServiceAccountOptions,
  namespace: string,
  name: string,
): Promise<Record<string, string> | undefined> {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(name)}`;
  const fail = (why: string, cause?: unknown, status?: number) =>
    new IamraError({
      code: "KUBERNETES_API_FAILED",
      message: `reading ServiceAccount ${namespace}/${name} from ${o.apiUrl} failed (${why})`,
      hint:
        status === 401 || status === 403
          ? "the webhook's ServiceAccount needs get on serviceaccounts (the chart's ClusterRole grants it)"
          : "check that the API server is reachable from the webhook pod",
      retryable: true,
      step: "admission",
      status,
      cause,
    });
  const token = await o.readToken().catch((err: unknown) => {
    throw fail("cannot read the API token", err);
  });
  const { status, body } = await requestKubernetesApi({
    apiUrl: o.apiUrl,
    method: "GET",
    path,
    token,
    caPem: o.caPem,
    timeoutMs: o.timeoutMs,
  }).catch((err: NodeJS.ErrnoException) => {
    throw fail(err.code ?? err.message, err);
  });
  if (status === 404) return undefined;
  if (status !== 200) throw fail(`HTTP ${status}`, undefined, status);
  try {
    const sa = JSON.parse(body) as { metadata?: { annotations?: Record<string, string> } };
    return sa.metadata?.annotations ?? {};
  } catch (err) {
    throw fail("the answer is not JSON", err, status);
  }
}
