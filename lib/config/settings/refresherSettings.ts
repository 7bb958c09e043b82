import { setting } from "../setting.js";
import {
  enumParser,
  parseBool,
  parseDurationMs,
  parseListenAddress,
  parseNonEmpty,
  parsePort,
  parsePositiveDurationMs,
} from "../parsers.js";

/**
 * Default ports of what the refresher serves on the pod: IMDS emulation on the official helper's `serve` default (so
 * existing manifests keep working), the container credentials endpoint and the ops server next to it. The webhook
 * injects the same ports.
 */
export const DEFAULT_PORTS = { imds: 9911, endpoint: 9912, ops: 9913 } as const;

/** Settings only the refresher has: scheduling, endpoints, identity source. */
export const refresherSettings = [
  setting({
    key: "minValidityMs",
    flag: "--min-validity <duration>",
    env: ["IAMRA_MIN_VALIDITY"],
    default: 15 * 60_000,
    defaultText: "15m",
    description:
      "validity kept on served credentials (SDKs re-fetch constantly below 15m); scaled down for short sessions",
    parse: parseDurationMs,
  }),
  setting({
    key: "identitySource",
    flag: "--identity-source <source>",
    env: ["IAMRA_IDENTITY_SOURCE"],
    default: "vault" as const,
    description:
      "vault: log in and get certificates from Vault's PKI; files: use --certificate/--private-key rendered by Vault Agent",
    parse: enumParser(["vault", "files"] as const),
  }),
  setting({
    key: "certificate",
    flag: "--certificate <file>",
    env: ["IAMRA_CERTIFICATE"],
    description: "with --identity-source files: PEM certificate file",
    parse: parseNonEmpty,
  }),
  setting({
    key: "privateKey",
    flag: "--private-key <file>",
    env: ["IAMRA_PRIVATE_KEY"],
    description: "with --identity-source files: PEM private key file",
    parse: parseNonEmpty,
  }),
  setting({
    key: "intermediates",
    flag: "--intermediates <file>",
    env: ["IAMRA_INTERMEDIATES"],
    description: "with --identity-source files: PEM bundle of intermediates",
    parse: parseNonEmpty,
  }),
  setting({
    key: "newCertificateEveryRefresh",
    flag: "--new-certificate-every-refresh",
    env: ["IAMRA_NEW_CERTIFICATE_EVERY_REFRESH"],
    boolean: true,
    default: false,
    description: "get a new certificate for every session instead of reusing one until half its lifetime",
    parse: parseBool,
  }),
  setting({
    key: "credentialsEndpoint",
    flag: "--no-credentials-endpoint",
    env: ["IAMRA_CREDENTIALS_ENDPOINT"],
    boolean: true,
    default: true,
    description: "do not serve the container credentials endpoint",
    parse: parseBool,
  }),
  setting({
    key: "endpointPort",
    flag: "--endpoint-port <port>",
    env: ["IAMRA_ENDPOINT_PORT"],
    default: DEFAULT_PORTS.endpoint,
    description: "port of the container credentials endpoint on 127.0.0.1",
    parse: parsePort,
  }),
  setting({
    key: "endpointPath",
    flag: "--endpoint-path <path>",
    env: ["IAMRA_ENDPOINT_PATH"],
    default: "/credentials",
    description: "path of the container credentials endpoint",
    parse: parseNonEmpty,
  }),
  setting({
    key: "endpointTokenFile",
    flag: "--endpoint-token-file <file>",
    env: ["IAMRA_ENDPOINT_TOKEN_FILE"],
    description:
      "where to write the endpoint's authorization token (no trailing newline); default <output-dir>/endpoint-token",
    parse: parseNonEmpty,
  }),
  setting({
    key: "imds",
    flag: "--imds",
    env: ["IAMRA_IMDS"],
    boolean: true,
    default: false,
    description: "also serve IMDSv2 emulation (for tools that only know the instance metadata service)",
    parse: parseBool,
  }),
  setting({
    key: "imdsPort",
    flag: "--imds-port <port>",
    env: ["IAMRA_IMDS_PORT"],
    default: DEFAULT_PORTS.imds,
    description: "port of the IMDSv2 emulation on 127.0.0.1",
    parse: parsePort,
  }),
  setting({
    key: "opsHost",
    flag: "--ops-host <ip>",
    env: ["IAMRA_OPS_HOST"],
    default: "0.0.0.0",
    description:
      "IP address (or localhost) of /healthz, /readyz and /metrics (kubelet probes and Prometheus reach the pod IP)",
    parse: parseListenAddress,
  }),
  setting({
    key: "opsPort",
    flag: "--ops-port <port>",
    env: ["IAMRA_OPS_PORT"],
    default: DEFAULT_PORTS.ops,
    description: "port of /healthz, /readyz and /metrics",
    parse: parsePort,
  }),
  setting({
    key: "shutdownTimeoutMs",
    flag: "--shutdown-timeout <duration>",
    env: ["IAMRA_SHUTDOWN_TIMEOUT"],
    default: 10_000,
    defaultText: "10s",
    description: "longest wait for an in-flight refresh and open requests at SIGTERM",
    parse: parsePositiveDurationMs,
  }),
];
