import { setting } from "../setting.js";
import { parseBool, parseNonEmpty, parseUrl } from "../parsers.js";

/** Optional STS steps: verification with GetCallerIdentity and role chaining. */
export const stsSettings = [
  setting({
    key: "verify",
    flag: "--verify",
    env: ["IAMRA_VERIFY"],
    boolean: true,
    default: false,
    description: "call STS GetCallerIdentity with the new credentials and log the ARN",
    parse: parseBool,
  }),
  setting({
    key: "assumeRoleArn",
    flag: "--assume-role-arn <arn>",
    env: ["IAMRA_ASSUME_ROLE_ARN"],
    description: "then assume this role with STS (role chaining, cross-account)",
    parse: parseNonEmpty,
  }),
  setting({
    key: "externalId",
    flag: "--external-id <id>",
    env: ["IAMRA_EXTERNAL_ID"],
    description: "external ID for --assume-role-arn",
    parse: parseNonEmpty,
  }),
  setting({
    key: "assumeRoleSessionName",
    flag: "--assume-role-session-name <name>",
    env: ["IAMRA_ASSUME_ROLE_SESSION_NAME"],
    default: "iamra-vault",
    description: "session name for --assume-role-arn",
    parse: parseNonEmpty,
  }),
  setting({
    key: "stsEndpoint",
    flag: "--sts-endpoint <url>",
    env: ["AWS_ENDPOINT_URL_STS"],
    description: "STS endpoint; default: the regional AWS endpoint",
    parse: parseUrl,
  }),
];
