#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { leanCommands } from "./leanCommands.js";
import { startCli } from "./startCli.js";

// The AWS SDK version is pinned; its notice that later SDK releases will need a newer Node is for SDK upgrades, not for
// users of this CLI, and would only clutter stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** Set by the bundler (scripts/bundleCli.mjs); tsc's build reads the version from package.json instead. */
declare const IAMRA_VERSION: string | undefined;
const version =
  typeof IAMRA_VERSION === "string"
    ? IAMRA_VERSION
    : (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

// No top-level await: the bundle is CommonJS.
startCli(
  {
    name: "iamra-vault",
    description: "Short-lived AWS credentials for Kubernetes pods through IAM Roles Anywhere, with Vault as the CA",
    version,
  },
  leanCommands,
  async () => (await import("./commands.js")).commandSpecs(),
  process.argv,
).catch((err: unknown) => {
  process.stderr.write(`iamra-vault: unexpected error (this is a bug): ${(err as Error)?.stack ?? String(err)}\n`);
  process.exitCode = 1;
});
