import { expect } from "chai";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const commandsModule = fileURLToPath(new URL("../../../cli/commands.ts", import.meta.url));

describe("commandSpecs", () => {
  it("loads no heavy package at start-up: each command imports its implementation only when it runs", async () => {
    // CommonJS packages imported from ESM land in require.cache, so the child can list what was loaded
    const script = `
      const { createRequire } = await import("node:module");
      await import(${JSON.stringify(commandsModule)});
      const cache = Object.keys(createRequire(import.meta.url).cache);
      const heavy = ["@peculiar", "prom-client", "@aws-sdk", "axios", "yaml"];
      console.log(JSON.stringify(cache.filter((p) => heavy.some((h) => p.includes("/node_modules/" + h + "/")))));`;
    const { stdout } = await promisify(execFile)(process.execPath, [
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      script,
    ]);
    expect(JSON.parse(stdout.trim().split("\n").pop()!)).to.deep.equal([]);
  });

  it("still sees a heavy package when one is loaded (the check above can fail)", async () => {
    const script = `
      const { createRequire } = await import("node:module");
      await import("prom-client");
      const cache = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify(cache.some((p) => p.includes("/node_modules/prom-client/"))));`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      { cwd: fileURLToPath(new URL("../../..", import.meta.url)) },
    );
    expect(stdout.trim()).to.equal("true");
  });
});
