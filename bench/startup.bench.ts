/**
 * Benchmark: start-up of the built CLI next to bare Node and the tools it replaces, in ONE hyperfine run, so that the
 * ratios hold on a loaded machine. On the devstack (loopback, in a process of its own, see below):
 *   - `node -e 0` on Node 20 (the Node running this script) and on Node 24 (the test peer, the image's runtime);
 *   - `iamra-vault credential-process` (the devstack's EC P-256 throwaway certificate) on both, and the official
 *     aws_signing_helper's credential-process with the same files;
 *   - `iamra-vault init` (start to credentials file written; the process exits right after writing) on both;
 *   - the old sample's init pipeline: Python + hvac (kubernetes login, pki/issue), aws_signing_helper, jq writing the
 *     credentials file (bench/oldSample/initPipeline.sh);
 *   - the Node floor of each command, on both Nodes: bench/floor/credentialProcessFloor.cjs and initFloor.cjs, plain
 *     programs that do the same protocol work (same requests and signature, the credentials file through a temp file
 *     and a rename) with nothing else, which shows how far each command is from what Node itself needs for its job.
 * Ratios: each command and each floor over `node -e 0`, and each command over its floor, on the same Node.
 * NODE_EXTRA_CA_CERTS and AWS_CA_BUNDLE are removed from the measured commands' environment: pods have neither, and a
 * development machine that points them at the system bundle (about 150 certificates) makes every Node start read it,
 * and every credential-process and init check each certificate of it (AWS_CA_BUNDLE is the --ca-bundle setting).
 * IAMRA_LOG_LEVEL is removed too: each command logs at its default level (init: info, five JSON lines; credential-
 * process: warn), which hyperfine sends to /dev/null.
 * The stand-ins (Vault, TokenReview, Roles Anywhere, STS) run in a Node 20 process of their own, not in this script's:
 * the work they do for each init then does not share an event loop with this script (bench/init.bench.ts reports it).
 * Run: npm run build && npx tsx bench/startup.bench.ts [--runs 30]
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { podEnvironment } from "../devstack/podEnvironment.js";
import { peers } from "../test/support/peers.js";
import { CLI_PATH } from "../test/support/runCli.js";
import { throwawayCredentialProcessArgs } from "../devstack/throwawayCredentialProcessArgs.js";
import { exitWithUsageIfAsked } from "./support/usage.js";
import { startDevstackProcess } from "./support/startDevstackProcess.js";

exitWithUsageIfAsked(import.meta.url);

const run = promisify(execFile);
const runs = Number(process.argv[process.argv.indexOf("--runs") + 1] ?? 0) || 30;
const hyperfineVersion = await run("hyperfine", ["--version"])
  .then((r) => r.stdout.trim())
  .catch(() => {
    throw new Error("hyperfine is not installed (Debian/Ubuntu: apt-get install hyperfine)");
  });
await run("jq", ["--version"]).catch(() => {
  throw new Error("jq is not installed (Debian/Ubuntu: apt-get install jq); the old sample's pipeline needs it");
});

const work = await mkdtemp(join(tmpdir(), "iamra-bench-startup-"));
await mkdir(join(work, "ds"));
const stack = await startDevstackProcess(join(work, "ds"));
const { info, tokenFile } = stack;
const binding = info.bindings.find((b) => b.name === "demo")!;

const env: Record<string, string> = { ...(process.env as Record<string, string>) };
delete env.NODE_EXTRA_CA_CERTS;
delete env.AWS_CA_BUNDLE;
delete env.IAMRA_LOG_LEVEL;
const podEnv = podEnvironment(info, tokenFile);
const oldOut = join(work, "old");
const initOut = join(work, "init");
await mkdir(oldOut);
await mkdir(initOut);
const oldEnv = {
  PYTHON: peers.python,
  SIGNING_HELPER: peers.signingHelper,
  VAULT_ADDR: info.vault.addr,
  VAULT_ROLE: binding.vaultRole,
  PKI_MOUNT: info.vault.pkiMount,
  PKI_ROLE: binding.pkiRole,
  COMMON_NAME: `${binding.serviceAccount}.${binding.namespace}`,
  URI_SANS: binding.spiffeId,
  SA_TOKEN_FILE: tokenFile,
  OUT_DIR: oldOut,
  ANCHOR_ARN: info.rolesAnywhere.trustAnchorArn,
  PROFILE_ARN: info.rolesAnywhere.profileArn,
  ROLE_ARN: binding.roleArn,
  RA_ENDPOINT: info.rolesAnywhere.endpoint,
};
Object.assign(env, podEnv, oldEnv);

const cpArgs = throwawayCredentialProcessArgs(info);
const node20 = process.execPath;
const node24 = peers.node24;
const oldPipeline = fileURLToPath(new URL("./oldSample/initPipeline.sh", import.meta.url));
const cpFloor = fileURLToPath(new URL("./floor/credentialProcessFloor.cjs", import.meta.url));
const initFloor = fileURLToPath(new URL("./floor/initFloor.cjs", import.meta.url));
const floorOut = join(work, "init-floor");
await mkdir(floorOut);
const commands: Record<string, string[]> = {
  "node20 -e 0": [node20, "-e", "0"],
  "node24 -e 0": [node24, "-e", "0"],
  "credential-process node20": [node20, CLI_PATH, ...cpArgs],
  "credential-process node24": [node24, CLI_PATH, ...cpArgs],
  "aws_signing_helper credential-process": [peers.signingHelper, ...cpArgs],
  "init node20": [node20, CLI_PATH, "init", "--output-dir", initOut],
  "init node24": [node24, CLI_PATH, "init", "--output-dir", initOut],
  "old sample init (python+hvac, helper, jq)": ["/bin/sh", oldPipeline],
  "credential-process floor node20": [node20, cpFloor, ...cpArgs.slice(1)],
  "credential-process floor node24": [node24, cpFloor, ...cpArgs.slice(1)],
  "init floor node20": [node20, initFloor, "--output-dir", floorOut],
  "init floor node24": [node24, initFloor, "--output-dir", floorOut],
};
/** The output directory of each command that writes a credentials file. */
const outputDirs: Record<string, string> = {
  "init node20": initOut,
  "init node24": initOut,
  "old sample init (python+hvac, helper, jq)": oldOut,
  "init floor node20": floorOut,
  "init floor node24": floorOut,
};
// each command runs once first and must deliver credentials: process JSON on stdout, or a fresh credentials file
for (const [name, argv] of Object.entries(commands)) {
  const dir = outputDirs[name];
  if (dir) await rm(join(dir, "credentials"), { force: true });
  const { stdout } = await run(argv[0]!, argv.slice(1), { env }).catch((err: Error & { stderr?: string }) => {
    throw new Error(`${name} failed before the benchmark: ${err.stderr ?? err.message}`);
  });
  const delivered = dir
    ? /^aws_session_token = \S/m.test(await readFile(join(dir, "credentials"), "utf8").catch(() => ""))
    : name.endsWith("-e 0") || /"SessionToken":\s*"[^"]/.test(stdout);
  if (!delivered) throw new Error(`${name} delivered no credentials before the benchmark:\n${stdout}`);
}
const quote = (a: string) => `'${a.replace(/'/g, "'\\''")}'`;
const out = join(work, "startup.json");
await run(
  "hyperfine",
  [
    "-N",
    "--warmup",
    "3",
    "--runs",
    String(runs),
    "--export-json",
    out,
    ...Object.entries(commands).flatMap(([label, argv]) => ["-n", label, argv.map(quote).join(" ")]),
  ],
  { env, maxBuffer: 16 * 1024 * 1024 },
);

interface HyperfineResult {
  command: string;
  mean: number;
  stddev: number;
  median: number;
  min: number;
  user: number;
  system: number;
}
const r = (JSON.parse(readFileSync(out, "utf8")) as { results: HyperfineResult[] }).results;
const by = new Map(r.map((x) => [x.command, x]));
const ms = (s: number) => Math.round(s * 10_000) / 10;
const ratio = (a: string, b: string) => Math.round((by.get(a)!.median / by.get(b)!.median) * 100) / 100;
console.log(
  JSON.stringify(
    {
      benchmark: "start-up, one hyperfine run (medians; ratios of medians)",
      hyperfine: hyperfineVersion,
      runs,
      unset: "NODE_EXTRA_CA_CERTS, AWS_CA_BUNDLE and IAMRA_LOG_LEVEL, for the measured commands",
      standIns: "in a Node process of their own",
      results: Object.fromEntries(
        r.map((x) => [
          x.command,
          {
            medianMs: ms(x.median),
            meanMs: ms(x.mean),
            stddevMs: ms(x.stddev),
            minMs: ms(x.min),
            userMs: ms(x.user),
            systemMs: ms(x.system),
          },
        ]),
      ),
      ratios: {
        "credential-process / node -e 0 (Node 20)": ratio("credential-process node20", "node20 -e 0"),
        "credential-process / node -e 0 (Node 24)": ratio("credential-process node24", "node24 -e 0"),
        "init / node -e 0 (Node 20)": ratio("init node20", "node20 -e 0"),
        "init / node -e 0 (Node 24)": ratio("init node24", "node24 -e 0"),
        "old sample init / init (Node 20)": ratio("old sample init (python+hvac, helper, jq)", "init node20"),
        "old sample init / init (Node 24)": ratio("old sample init (python+hvac, helper, jq)", "init node24"),
        "credential-process (Node 20) / aws_signing_helper": ratio(
          "credential-process node20",
          "aws_signing_helper credential-process",
        ),
        ...floorRatios("credential-process"),
        ...floorRatios("init"),
      },
    },
    null,
    2,
  ),
);
await stack.close();

/** "floor / node -e 0" and "ours / floor" of one command on each Node. */
function floorRatios(command: "credential-process" | "init"): Record<string, number> {
  return Object.fromEntries(
    (["20", "24"] as const).flatMap((v) => [
      [`${command} floor / node -e 0 (Node ${v})`, ratio(`${command} floor node${v}`, `node${v} -e 0`)],
      [`${command} / ${command} floor (Node ${v})`, ratio(`${command} node${v}`, `${command} floor node${v}`)],
    ]),
  );
}
