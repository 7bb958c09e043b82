import { setting } from "../setting.js";
import { parseBool } from "../parsers.js";

/** Endpoint variants for Roles Anywhere and STS: FIPS and dual-stack (IPv4 and IPv6), the AWS SDKs' variables. */
export const endpointVariantSettings = [
  setting({
    key: "useFipsEndpoint",
    flag: "--use-fips-endpoint",
    env: ["AWS_USE_FIPS_ENDPOINT"],
    boolean: true,
    default: false,
    description:
      "use the FIPS endpoints of Roles Anywhere (rolesanywhere-fips.<region>, US regions only) and STS; " +
      "the signing region stays the region; an explicit endpoint wins",
    parse: parseBool,
  }),
  setting({
    key: "useDualstackEndpoint",
    flag: "--use-dualstack-endpoint",
    env: ["AWS_USE_DUALSTACK_ENDPOINT"],
    boolean: true,
    default: false,
    description:
      "use the dual-stack (IPv4 and IPv6) endpoints of Roles Anywhere (rolesanywhere.<region>.api.aws) and STS; " +
      "an explicit endpoint wins",
    parse: parseBool,
  }),
];

/** The official helper's --with-proxy, accepted so that its command lines work unchanged. */
export const withProxySetting = setting({
  key: "withProxy",
  flag: "--with-proxy",
  boolean: true,
  default: false,
  description:
    "accepted for aws_signing_helper compatibility; HTTPS_PROXY, HTTP_PROXY and NO_PROXY are used with or without it",
  parse: parseBool,
});
