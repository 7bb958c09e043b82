import { setting } from "../setting.js";
import { intParser, parseDurationMs, parseNonEmpty, parsePositiveDurationMs, parseUrl } from "../parsers.js";

/** Session duration: seconds as a bare number (the official helper's form) or a duration with unit; 900 s..12 h. */
function parseSessionDurationSeconds(raw: string): number {
  const seconds = Math.round(parseDurationMs(raw) / 1000);
  if (seconds < 1 || seconds > 43200)
    throw new Error(`${seconds} s is outside 1..43200 s (Roles Anywhere allows 900..43200)`);
  return seconds;
}

/** Settings of the Roles Anywhere CreateSession call, shared by credential-process, init and refresher. */
export const rolesAnywhereSettings = [
  setting({
    key: "trustAnchorArn",
    flag: "--trust-anchor-arn <arn>",
    env: ["IAMRA_TRUST_ANCHOR_ARN", "ANCHOR_ARN"],
    description: "ARN of the Roles Anywhere trust anchor",
    parse: parseNonEmpty,
    required: true,
  }),
  setting({
    key: "profileArn",
    flag: "--profile-arn <arn>",
    env: ["IAMRA_PROFILE_ARN", "PROFILE_ARN"],
    description: "ARN of the Roles Anywhere profile",
    parse: parseNonEmpty,
    required: true,
  }),
  setting({
    key: "roleArn",
    flag: "--role-arn <arn>",
    env: ["IAMRA_ROLE_ARN", "ROLE_ARN"],
    description: "ARN of the IAM role to assume (must be in the profile)",
    parse: parseNonEmpty,
    required: true,
  }),
  setting({
    key: "sessionDurationSeconds",
    flag: "--session-duration <seconds>",
    env: ["IAMRA_SESSION_DURATION"],
    default: 3600,
    description:
      "session length in seconds (or with a unit: 1h); Roles Anywhere allows 900..43200 within the profile's limit",
    parse: parseSessionDurationSeconds,
  }),
  setting({
    key: "roleSessionName",
    flag: "--role-session-name <name>",
    env: ["IAMRA_ROLE_SESSION_NAME"],
    description:
      "role session name shown in CloudTrail (2-64 of [A-Za-z0-9_+=,.@-]); default: Roles Anywhere uses the certificate serial",
    parse: (raw) => {
      if (!/^[\w+=,.@-]{2,64}$/.test(raw))
        throw new Error(`"${raw}" is not a valid role session name (2-64 of [A-Za-z0-9_+=,.@-])`);
      return raw;
    },
  }),
  setting({
    key: "region",
    flag: "--region <region>",
    env: ["IAMRA_REGION"],
    description: "signing and endpoint region; default: the trust anchor ARN's region",
    parse: parseNonEmpty,
  }),
  setting({
    key: "endpoint",
    flag: "--endpoint <url>",
    env: ["AWS_ENDPOINT_URL_ROLESANYWHERE", "AWS_ENDPOINT_URL"],
    description:
      "Roles Anywhere base URL (/sessions is appended); default https://rolesanywhere.<region>.amazonaws.com",
    parse: parseUrl,
  }),
  setting({
    key: "caBundle",
    flag: "--ca-bundle <file>",
    env: ["AWS_CA_BUNDLE"],
    description:
      "PEM file of the CA certificates to trust for the Roles Anywhere and STS endpoints, instead of the default roots (as with the AWS CLI)",
    parse: parseNonEmpty,
    mustExist: "file",
  }),
  setting({
    key: "verifySsl",
    flag: "--no-verify-ssl",
    boolean: true,
    default: true,
    description: "do not verify the Roles Anywhere and STS endpoints' TLS certificates (tests only)",
    parse: () => false,
  }),
  setting({
    key: "timeoutMs",
    flag: "--timeout <duration>",
    env: ["IAMRA_TIMEOUT"],
    default: 10_000,
    defaultText: "10s",
    description: "timeout of each network call (the official helper has none and can hang forever)",
    parse: parsePositiveDurationMs,
  }),
  setting({
    key: "maxAttempts",
    flag: "--max-attempts <n>",
    env: ["IAMRA_MAX_ATTEMPTS", "AWS_MAX_ATTEMPTS"],
    default: 3,
    description:
      "attempts per CreateSession call for network errors and 5xx (throttling is retried within --throttle-budget)",
    parse: intParser(1, 20),
  }),
];
