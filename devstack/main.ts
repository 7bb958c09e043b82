#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { runProgram } from "../cli/runProgram.js";
import { devstackCommands } from "./devstackCommand.js";

// The devstack is a development tool with its own entry point: it is not part of the product CLI or its image.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const packageJson = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
const { version } = JSON.parse(packageJson) as { version: string };

await runProgram(
  {
    name: "iamra-vault-devstack",
    description: "Loopback test doubles of Vault, Kubernetes TokenReview, IAM Roles Anywhere and STS, for development",
    version,
  },
  devstackCommands,
  process.argv,
);
