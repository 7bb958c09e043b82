import { setting } from "../setting.js";
import { parseBool, parseFileMode, parseNonEmpty, parseProfileName } from "../parsers.js";

/** Where and how credentials are written (the shared emptyDir). */
export const outputSettings = [
  setting({
    key: "outputDir",
    flag: "--output-dir <dir>",
    env: ["IAMRA_OUTPUT_DIR"],
    default: "/var/run/iamra",
    description: "directory (the shared emptyDir) that receives the files",
    parse: parseNonEmpty,
  }),
  setting({
    key: "profile",
    flag: "--profile <name>",
    env: ["IAMRA_PROFILE"],
    default: "default",
    description: "profile name in the credentials (and config) file (1-64 of A-Z a-z 0-9 _ . - + @ : /)",
    parse: parseProfileName,
  }),
  setting({
    key: "fileMode",
    flag: "--file-mode <octal>",
    env: ["IAMRA_FILE_MODE"],
    default: 0o640,
    defaultText: "0640",
    description:
      "mode of written files (0640 lets an app in the pod's fsGroup read them); owner-readable, " +
      "no execute, setuid/setgid/sticky or world-write bits",
    parse: parseFileMode,
  }),
  setting({
    key: "writeCredentials",
    flag: "--no-write-credentials",
    env: ["IAMRA_WRITE_CREDENTIALS"],
    boolean: true,
    default: true,
    description: "do not write the credentials file",
    parse: parseBool,
  }),
  setting({
    key: "writeConfig",
    flag: "--write-config",
    env: ["IAMRA_WRITE_CONFIG"],
    boolean: true,
    default: false,
    description: "also write an AWS config file with the region",
    parse: parseBool,
  }),
  setting({
    key: "writeProcessJson",
    flag: "--write-process-json",
    env: ["IAMRA_WRITE_PROCESS_JSON"],
    boolean: true,
    default: false,
    description: "also write credential-process.json (credential_process format, with Expiration)",
    parse: parseBool,
  }),
  setting({
    key: "awsRegion",
    flag: "--aws-region <region>",
    env: ["AWS_REGION", "AWS_DEFAULT_REGION"],
    description: "region for the config file and STS calls; default: the trust anchor's region",
    parse: parseNonEmpty,
  }),
];
