/** What each app container gets: the AWS SDK's environment and a read-only mount of the shared volume. */
import type { InjectionConfig } from "./parseInjectionConfig.js";
import { ENDPOINT_TOKEN_FILE, ENDPOINT_URL, IMDS_URL, SHARED_DIR, SHARED_VOLUME } from "./injectionLayout.js";
import type { EnvVar, VolumeMount } from "./podTypes.js";

/**
 * The environment of an app container. The container credentials endpoint is the default (every current SDK re-fetches
 * it before expiry; the token file must be read by path, so only the _FILE variable is set). IMDS "also" adds the IMDS
 * endpoint for tools that only know instance metadata; "only" leaves out the endpoint variables for SDKs that read
 * AWS_CONTAINER_CREDENTIALS_FULL_URI but cannot send the token file (e.g. botocore 1.29), which would otherwise fail.
 */
export function buildAppEnv(config: InjectionConfig): EnvVar[] {
  const env: EnvVar[] = [];
  if (config.imds !== "only") {
    env.push({ name: "AWS_CONTAINER_CREDENTIALS_FULL_URI", value: ENDPOINT_URL });
    env.push({ name: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", value: ENDPOINT_TOKEN_FILE });
  }
  if (config.imds !== "off") {
    env.push({ name: "AWS_EC2_METADATA_SERVICE_ENDPOINT", value: IMDS_URL });
    env.push({ name: "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", value: "IPv4" });
  }
  if (config.region) {
    env.push({ name: "AWS_REGION", value: config.region });
    env.push({ name: "AWS_DEFAULT_REGION", value: config.region });
  }
  return env;
}

/** The shared volume, read-only, at the path the endpoint token file is in. */
export function buildAppMount(): VolumeMount {
  return { name: SHARED_VOLUME, mountPath: SHARED_DIR, readOnly: true };
}
