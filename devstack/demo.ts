/**
 * `npm run demo`: the whole credential path on the devstack, ending in a real AWS SDK call.
 * Starts the stand-ins in this process, mints a service-account token for demo/app, runs the built `iamra-vault init`
 * as a child process (like an init container), then lets @aws-sdk/client-sts read the credentials file it wrote and
 * call
 * GetCallerIdentity on the STS stand-in, which verifies the SigV4 signature.
 * `npm run demo -- --vault openbao` (or IAMRA_DEVSTACK_VAULT=openbao) runs it on a real OpenBao dev server instead of
 * the Vault stand-in; `--vault-addr <url>` with $VAULT_TOKEN on a running server (see `node dist/devstack/main.js
 * --help`).
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromIni } from "@aws-sdk/credential-providers";
import { parseArgs } from "node:util";
import { startDevstack } from "./startDevstack.js";
import { podEnvironment } from "./podEnvironment.js";
import { devVaultChoiceFrom, devVaultSettings } from "./devVaultSettings.js";
import { resolveSettings } from "../lib/config/resolveSettings.js";
import { exitCodeFor, isIamraError } from "../lib/errors.js";

// Pinned SDK, tested on Node 20: silence its notice about future releases needing Node 22 (see cli/main.ts).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const run = promisify(execFile);
const cli = fileURLToPath(new URL("../bin/iamra-vault.cjs", import.meta.url));
const say = (line = "") => process.stdout.write(`${line}\n`);

/** Prints a start-up failure in one line (code and hint for the project's errors) and exits 2 (usage) or 1. */
function fail(err: unknown, usage: boolean): never {
  process.stderr.write(`demo: ${isIamraError(err) ? `${err.summary()} [${err.code}]` : (err as Error).message}\n`);
  process.exit(isIamraError(err) ? exitCodeFor(err) : usage ? 2 : 1);
}

/** The Vault to run on, from --vault/--bao-path/--vault-addr or their environment variables. */
function chooseVault() {
  try {
    const { values } = parseArgs({
      options: { vault: { type: "string" }, "bao-path": { type: "string" }, "vault-addr": { type: "string" } },
    });
    const flags = { vault: values.vault, baoPath: values["bao-path"], vaultAddr: values["vault-addr"] };
    return devVaultChoiceFrom(resolveSettings(devVaultSettings, { flags, env: process.env }), process.env);
  } catch (err) {
    fail(err, true);
  }
}

const vault = chooseVault();
const work = await mkdtemp(join(tmpdir(), "iamra-demo-"));
// on a failed start the work directory stays: it holds the OpenBao server's output that the error points to
const stack = await startDevstack({ portBase: 0, dir: work, vault }).catch((err: unknown) => fail(err, false));
let exitCode: number;
try {
  const { info } = stack;
  if (vault.kind === "stand-in") {
    say("iamra-vault demo: Vault, Kubernetes TokenReview, Roles Anywhere and STS run as loopback test doubles");
  } else {
    say(`iamra-vault demo on a real Vault-compatible server: ${info.vault.server}`);
    say("  Kubernetes TokenReview, Roles Anywhere and STS run as loopback test doubles");
  }
  say(`  Vault ${info.vault.addr} · Roles Anywhere ${info.rolesAnywhere.endpoint} · STS ${info.sts.endpoint}`);
  say();

  const tokenFile = join(work, "sa-token");
  await writeFile(
    tokenFile,
    stack.tokenReview.mintToken({
      namespace: info.kubernetes.namespace,
      serviceAccount: info.kubernetes.serviceAccount,
    }),
  );
  say(`1. minted a service-account token for ${info.kubernetes.namespace}/${info.kubernetes.serviceAccount}`);

  const out = join(work, "out");
  await run("mkdir", ["-p", out]);
  const started = Date.now();
  const init = await run(process.execPath, [cli, "init"], {
    env: {
      PATH: process.env.PATH ?? "",
      ...podEnvironment(info, tokenFile),
      IAMRA_OUTPUT_DIR: out,
    },
  }).catch((err: { stdout?: string; stderr?: string }) => {
    say("init failed:");
    say(err.stderr ?? String(err));
    throw err;
  });
  const logLines = init.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { msg: string });
  say(
    `2. iamra-vault init (child process) exited 0 in ${Date.now() - started} ms: ${logLines.map((l) => l.msg).join(" → ")}`,
  );

  const credentialsFile = join(out, "credentials");
  const mode = ((await stat(credentialsFile)).mode & 0o777).toString(8);
  const state = JSON.parse(await readFile(join(out, "iamra-state.json"), "utf8")) as {
    expiration: string;
    certificate: { uriSans: string[]; serial: string; notAfter: string };
  };
  say(`3. wrote ${credentialsFile} (mode 0${mode}); the private key never left the init process`);

  const client = new STSClient({
    region: info.region,
    endpoint: info.sts.endpoint,
    credentials: fromIni({ filepath: credentialsFile, configFilepath: join(work, "no-config"), profile: "default" }),
  });
  const identity = await client.send(new GetCallerIdentityCommand({}));
  client.destroy();
  say("4. @aws-sdk/client-sts GetCallerIdentity with that credentials file (signature verified by the STS stand-in):");
  say();
  say(`   identity      ${identity.Arn}`);
  say(`   account       ${identity.Account}`);
  say(
    `   certificate   URI SAN ${state.certificate.uriSans.join(", ")} (serial ${state.certificate.serial}, not after ${state.certificate.notAfter})`,
  );
  say(`   expires       ${state.expiration}`);
  say();
  say("demo ok");
  exitCode = 0;
} finally {
  await stack.close();
  await rm(work, { recursive: true, force: true });
}
process.exit(exitCode);
