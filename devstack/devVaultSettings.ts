import { setting, type ValuesOf } from "../lib/config/setting.js";
import { enumParser, parseNonEmpty, parseUrl } from "../lib/config/parsers.js";
import { ConfigError } from "../lib/errors.js";
import { findBaoBinary } from "./openbao/findBaoBinary.js";
import type { DevVaultChoice } from "./startDevVault.js";

/** Settings that choose the devstack's Vault (shared by the devstack and `npm run demo`). */
export const devVaultSettings = [
  setting({
    key: "vault",
    flag: "--vault <kind>",
    env: ["IAMRA_DEVSTACK_VAULT"],
    default: "stand-in" as const,
    description:
      "stand-in (built in, nothing to install) or openbao (starts `bao server -dev`: --bao-path, PATH " +
      "or the project's .peers/)",
    parse: enumParser(["stand-in", "openbao"] as const),
  }),
  setting({
    key: "baoPath",
    flag: "--bao-path <file>",
    env: ["IAMRA_DEVSTACK_BAO_PATH"],
    description: "the OpenBao binary for --vault openbao (default: bao on PATH, then the project's .peers/)",
    parse: parseNonEmpty,
  }),
  setting({
    key: "vaultAddr",
    flag: "--vault-addr <url>",
    env: ["IAMRA_DEVSTACK_VAULT_ADDR"],
    description:
      "use this running Vault or OpenBao server (token from $VAULT_TOKEN); the devstack applies its " +
      "development config to it",
    parse: parseUrl,
  }),
];

/** The resolved values of devVaultSettings. */
export type DevVaultValues = ValuesOf<typeof devVaultSettings>;

/**
 * Turns the settings into a choice: an existing server (--vault-addr, token from $VAULT_TOKEN), an OpenBao binary to
 * start, or the stand-in. Contradictions and a missing token or binary are usage errors (exit 2).
 */
export function devVaultChoiceFrom(v: DevVaultValues, env: Record<string, string | undefined>): DevVaultChoice {
  if (v.vaultAddr !== undefined) {
    if (v.vault === "openbao" || v.baoPath !== undefined) {
      throw new ConfigError({
        code: "DEVSTACK_VAULT_CONFLICT",
        message: "--vault-addr names a running server; --vault openbao and --bao-path start one",
        hint: "give --vault-addr alone to use a running server, or --vault openbao to start one",
      });
    }
    const token = env.VAULT_TOKEN?.trim();
    if (!token) {
      throw new ConfigError({
        code: "DEVSTACK_VAULT_TOKEN_MISSING",
        message: `--vault-addr ${v.vaultAddr} needs a token in $VAULT_TOKEN`,
        hint:
          "export VAULT_TOKEN with a token that may mount secrets engines and auth methods and write policies " +
          "(a dev server's root token)",
      });
    }
    return { kind: "external", addr: v.vaultAddr.replace(/\/+$/, ""), token };
  }
  if (v.vault === "openbao") {
    return { kind: "openbao", baoPath: findBaoBinary({ baoPath: v.baoPath, pathEnv: env.PATH }) };
  }
  if (v.baoPath !== undefined) {
    throw new ConfigError({
      code: "DEVSTACK_VAULT_CONFLICT",
      message: "--bao-path is only used with --vault openbao",
      hint: "add --vault openbao",
    });
  }
  return { kind: "stand-in" };
}
