import type { CommandSpec } from "../cli/commandSpec.js";
import { setting } from "../lib/config/setting.js";
import { intParser, parseDurationMs, parseNonEmpty, parsePort, parseUrl } from "../lib/config/parsers.js";
import { devVaultSettings } from "./devVaultSettings.js";

const portBase = setting({
  key: "portBase",
  flag: "--port-base <port>",
  env: ["IAMRA_DEVSTACK_PORT_BASE"],
  default: 18200,
  description:
    "first port: Vault on it, then TokenReview, Roles Anywhere, STS and the admin endpoint (0 = any free ports)",
  parse: parsePort,
});

/** Settings of `start`. */
export const runSettings = [
  portBase,
  setting({
    key: "dir",
    flag: "--dir <dir>",
    env: ["IAMRA_DEVSTACK_DIR"],
    default: ".devstack",
    description: "directory for the throwaway CA, certificate and key",
    parse: parseNonEmpty,
  }),
  setting({
    key: "stateFile",
    flag: "--state-file <file>",
    env: ["IAMRA_DEVSTACK_STATE_FILE"],
    description: "also write everything printed (endpoints, ARNs, paths, root token) as JSON",
    parse: parseNonEmpty,
  }),
  setting({
    key: "minSessionSeconds",
    flag: "--min-session-seconds <n>",
    env: ["IAMRA_DEVSTACK_MIN_SESSION_SECONDS"],
    default: 900,
    description: "shortest Roles Anywhere session accepted (AWS: 900; lower it to watch refreshes)",
    parse: intParser(1, 43200),
  }),
  setting({
    key: "tps",
    flag: "--tps <n>",
    env: ["IAMRA_DEVSTACK_TPS"],
    default: 10,
    description: "Roles Anywhere CreateSession quota per second (AWS default: 10)",
    parse: intParser(1, 100000),
  }),
  ...devVaultSettings,
];

/** Settings of `token`. */
export const tokenSettings = [
  setting({
    key: "namespace",
    flag: "--namespace <ns>",
    default: "demo",
    description: "service account namespace",
    parse: parseNonEmpty,
  }),
  setting({
    key: "serviceAccount",
    flag: "--service-account <name>",
    default: "app",
    description: "service account name",
    parse: parseNonEmpty,
  }),
  setting({
    key: "audience",
    flag: "--audience <aud>",
    description: "token audience (default: vault, which the development Vault config requires)",
    parse: parseNonEmpty,
  }),
  setting({
    key: "ttlMs",
    flag: "--ttl <duration>",
    default: 3_600_000,
    defaultText: "1h",
    description: "token lifetime",
    parse: parseDurationMs,
  }),
  setting({
    key: "adminUrl",
    flag: "--admin-url <url>",
    env: ["IAMRA_DEVSTACK_ADMIN_URL"],
    description: "the running devstack's admin endpoint (default: port base + 4)",
    parse: parseUrl,
  }),
  portBase,
];

/**
 * The devstack's commands (its own program, `iamra-vault-devstack`; not part of the product CLI): `start`, the default,
 * runs loopback stand-ins of Vault, TokenReview, Roles Anywhere and STS; `token` mints service-account tokens.
 */
export const devstackCommands: CommandSpec[] = [startCommand(), tokenCommand()];

function startCommand(): CommandSpec<typeof runSettings> {
  return {
    name: "start",
    isDefault: true,
    summary:
      "run loopback stand-ins (test doubles) of Vault, Kubernetes TokenReview, IAM Roles Anywhere and STS (default)",
    settings: runSettings,
    logToStderr: true,
    defaultLogLevel: "warn",
    helpText:
      "Runs until Ctrl-C. Prints the endpoints, a ready-to-paste credential-process command and how to run init\n" +
      "like a pod.\n" +
      "With --vault openbao or --vault-addr, a real server takes the Vault stand-in's place: the devstack applies its\n" +
      "development vault-config to it and the Roles Anywhere stand-in trusts that server's root CA.",
    run: async (values, ctx) => (await import("./runDevstack.js")).runDevstack(values, ctx),
  };
}

function tokenCommand(): CommandSpec<typeof tokenSettings> {
  return {
    name: "token",
    summary: "print a service-account JWT that the running devstack's Vault accepts",
    settings: tokenSettings,
    logToStderr: true,
    run: async (values, ctx) => (await import("./runDevstackToken.js")).runDevstackToken(values, ctx),
  };
}
