import { ConfigError } from "../errors.js";

/** What selects the Roles Anywhere endpoint. */
export interface EndpointChoice {
  /** Endpoint region (--region, else the trust anchor's). */
  region: string;
  /** An explicit base URL (--endpoint, AWS_ENDPOINT_URL_ROLESANYWHERE); it wins over FIPS and dual-stack. */
  endpoint?: string;
  /** AWS_USE_FIPS_ENDPOINT / --use-fips-endpoint. */
  useFips: boolean;
  /** AWS_USE_DUALSTACK_ENDPOINT / --use-dualstack-endpoint. */
  useDualStack: boolean;
}

/**
 * Regions with a Roles Anywhere FIPS endpoint, from the service's endpoint table
 * (https://docs.aws.amazon.com/general/latest/gr/rolesanywhere.html) and the endpoint rules generated into the
 * official credential helper (aws/rolesanywhere-credential-helper, rolesanywhere/internal/endpoints/endpoints.go),
 * which also lists the two GovCloud regions. Other regions have none.
 */
export const FIPS_REGIONS: readonly string[] = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "us-gov-east-1",
  "us-gov-west-1",
];

/**
 * The Roles Anywhere base URL: the explicit endpoint if given, else
 * https://rolesanywhere[-fips].<region>.<suffix>, where the suffix is amazonaws.com (amazonaws.com.cn in China) or,
 * dual-stack, api.aws (api.amazonwebservices.com.cn in China). The signing region stays `region` in every case.
 * FIPS in a region without a FIPS endpoint is a ConfigError (FIPS_ENDPOINT_UNAVAILABLE, exit 2).
 */
export function rolesAnywhereEndpoint(choice: EndpointChoice): string {
  if (choice.endpoint) return choice.endpoint;
  const { region } = choice;
  if (choice.useFips && !FIPS_REGIONS.includes(region)) {
    throw new ConfigError({
      code: "FIPS_ENDPOINT_UNAVAILABLE",
      message: `IAM Roles Anywhere has no FIPS endpoint in region "${region}" (FIPS endpoints: ${FIPS_REGIONS.join(", ")})`,
      hint:
        "unset AWS_USE_FIPS_ENDPOINT / --use-fips-endpoint, use a trust anchor in a region with a FIPS endpoint, " +
        "or name the endpoint with --endpoint",
    });
  }
  const china = region.startsWith("cn-");
  const suffix = choice.useDualStack
    ? china
      ? "api.amazonwebservices.com.cn"
      : "api.aws"
    : china
      ? "amazonaws.com.cn"
      : "amazonaws.com";
  return `https://rolesanywhere${choice.useFips ? "-fips" : ""}.${region}.${suffix}`;
}
