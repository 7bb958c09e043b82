/** The parts of a core/v1 Pod the webhook reads and writes (plain JSON as the API server sends it). */

/** An environment variable of a container. */
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}

/** A volume mount of a container. */
export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}

/** A container or init container. */
export interface Container {
  name: string;
  image?: string;
  env?: EnvVar[];
  volumeMounts?: VolumeMount[];
  [field: string]: unknown;
}

/** A pod volume. */
export interface Volume {
  name: string;
  [field: string]: unknown;
}

/** A pod spec. */
export interface PodSpec {
  serviceAccountName?: string;
  hostNetwork?: boolean;
  securityContext?: Record<string, unknown>;
  initContainers?: Container[];
  containers: Container[];
  volumes?: Volume[];
  [field: string]: unknown;
}

/** A pod as found in an AdmissionReview request. */
export interface Pod {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    generateName?: string;
    namespace?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    [field: string]: unknown;
  };
  spec: PodSpec;
  [field: string]: unknown;
}
