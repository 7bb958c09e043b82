#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { destination } from "pino";
import { CommanderError } from "commander";
import { createLogger } from "../lib/log.js";
import { resolveSettings } from "../lib/config/resolveSettings.js";
import { exitCodeFor, isConfigError, isIamraError } from "../lib/errors.js";
import { buildProgram, flagsGiven } from "./buildProgram.js";
import { commandSpecs } from "./commands.js";
import type { CommandSpec } from "./commandSpec.js";

// The AWS SDK version is pinned and tested on Node 20 (the supported runtime); its notice that later SDK releases will
// need Node 22 is for SDK upgrades, not for users of this CLI, and would only clutter stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string })
  .version;

async function runSpec(spec: CommandSpec, cmd: import("commander").Command): Promise<void> {
  const env = process.env;
  const level = env.IAMRA_LOG_LEVEL ?? spec.defaultLogLevel ?? "info";
  const log = createLogger({
    level,
    base: { command: spec.name },
    destination: destination({ fd: spec.logToStderr ? 2 : 1, sync: true }),
  });
  const controller = new AbortController();
  const stop = (sig: string) => {
    if (controller.signal.aborted) return;
    log.info({ signal: sig }, "shutdown requested");
    controller.abort(new Error(`received ${sig}`));
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
  try {
    const values = resolveSettings(spec.settings, { flags: flagsGiven(cmd, spec.settings), env });
    const code = await spec.run!(values, {
      env,
      log,
      stdout: process.stdout,
      stderr: process.stderr,
      signal: controller.signal,
      args: cmd.args,
    });
    process.exitCode = code ?? 0;
  } catch (err) {
    reportFailure(err, log);
    process.exitCode = exitCodeFor(err);
  }
  if (spec.exitWhenDone) process.exit(); // logs are written synchronously, nothing is lost
}

function reportFailure(err: unknown, log: ReturnType<typeof createLogger>): void {
  if (isConfigError(err)) {
    log.error({ error: err.toJSON() }, "configuration invalid");
    const what = err.problems.length > 1
      ? `configuration has ${err.problems.length} problems:\n  - ${err.problems.join("\n  - ")}`
      : err.problems[0];
    process.stderr.write(`iamra-vault: [${err.code}] ${what}\nHint: ${err.hint ?? "run the command with --help"}\n`);
  } else if (isIamraError(err)) {
    log.error({ error: err.toJSON() }, "failed");
    process.stderr.write(`iamra-vault: [${err.code}] ${err.summary()}\n`);
  } else {
    log.error({ err }, "unexpected error (this is a bug)");
    process.stderr.write(`iamra-vault: unexpected error (this is a bug): ${(err as Error)?.stack ?? String(err)}\n`);
  }
}

const program = buildProgram(commandSpecs(), runSpec, version);
program.exitOverride();
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // help and version exit 0; usage errors exit 2 (commander already printed the message)
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else {
    throw err;
  }
}
