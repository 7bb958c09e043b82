/**
 * `npm run demo:refresher`: why the refresher exists, on the devstack. Sessions last 8 s here (the stand-in allows
 * short
 * sessions in this demo); the refresher runs as a child process like a sidecar, and two AWS SDK for JavaScript v3
 * clients,
 * each created once, call STS GetCallerIdentity every second for ~20 s: one through the container credentials endpoint,
 * one from the credentials file. The endpoint client follows every rotation; the file client keeps the first key until
 * it
 * expires, because SDKs cache file credentials for the life of the process.
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromHttp, fromIni } from "@aws-sdk/credential-providers";
import { startDevstack } from "./startDevstack.js";
import { podEnvironment } from "./podEnvironment.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true"; // pinned SDK, tested on Node 20 (see cli/main.ts)
const cli = fileURLToPath(new URL("../bin/iamra-vault.cjs", import.meta.url));
const say = (line = "") => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const work = await mkdtemp(join(tmpdir(), "iamra-demo-refresher-"));
const stack = await startDevstack({ portBase: 0, dir: work, minSessionSeconds: 2 });
const out = join(work, "out");
await mkdir(out);
const tokenFile = join(work, "sa-token");
await writeFile(tokenFile, stack.tokenReview.mintToken({ namespace: "demo", serviceAccount: "app" }));
const child = spawn(
  process.execPath,
  [
    cli,
    "refresher",
    "--output-dir",
    out,
    "--session-duration",
    "8",
    "--min-validity",
    "2s",
    "--endpoint-port",
    "0",
    "--ops-port",
    "0",
    "--ops-host",
    "127.0.0.1",
  ],
  {
    env: { PATH: process.env.PATH ?? "", ...podEnvironment(stack.info, tokenFile) },
    stdio: ["ignore", "pipe", "inherit"],
  },
);
let exitCode: number;
try {
  const endpointUrl = await new Promise<string>((resolve, reject) => {
    let buf = "";
    child.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      const m = /"credentialsEndpoint":"([^"]+)".*"msg":"refresher started"/.exec(buf);
      if (m) resolve(m[1]!);
    });
    child.once("exit", () => reject(new Error(`refresher exited early:\n${buf}`)));
  });
  say(`iamra-vault refresher demo (devstack test doubles; 8-second sessions so that rotations show)`);
  say(`  refresher serves ${endpointUrl} and rewrites ${join(out, "credentials")}`);
  while ((await readFile(join(out, "credentials"), "utf8").catch(() => "")) === "") await sleep(100);

  const region = stack.info.region;
  const viaEndpoint = new STSClient({
    region,
    endpoint: stack.info.sts.endpoint,
    credentials: fromHttp({
      awsContainerCredentialsFullUri: endpointUrl,
      awsContainerAuthorizationTokenFile: join(out, "endpoint-token"),
    }),
  });
  const viaFile = new STSClient({
    region,
    endpoint: stack.info.sts.endpoint,
    credentials: fromIni({
      filepath: join(out, "credentials"),
      configFilepath: join(work, "none"),
      profile: "default",
    }),
  });
  const keyOf = async (client: STSClient) => {
    const before = stack.sts.requests.length;
    try {
      await client.send(new GetCallerIdentityCommand({}));
      return stack.sts.requests[before]?.accessKeyId ?? "?";
    } catch (err) {
      return `failed: ${(err as Error).name}`;
    }
  };
  say();
  say("  second   endpoint client signs with     file client signs with");
  const seen = { endpoint: new Set<string>(), file: new Set<string>() };
  for (let s = 1; s <= 20; s++) {
    const [e, f] = [await keyOf(viaEndpoint), await keyOf(viaFile)];
    seen.endpoint.add(e);
    seen.file.add(f);
    say(`  ${String(s).padStart(6)}   ${e.padEnd(30)} ${f}`);
    await sleep(1000);
  }
  viaEndpoint.destroy();
  viaFile.destroy();
  const rotations = [...seen.endpoint].filter((k) => k.startsWith("ASIA")).length;
  say();
  say(
    `  the endpoint client used ${rotations} keys and never failed: ${![...seen.endpoint].some((k) => k.startsWith("failed"))}`,
  );
  say(
    `  the file client kept its first key, then failed once it expired: ${[...seen.file].some((k) => k.startsWith("failed"))}`,
  );
  say(
    "  → point long-running apps at the endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)",
  );
  say();
  say(rotations >= 3 ? "demo ok" : "demo: fewer rotations than expected");
  exitCode = rotations >= 3 ? 0 : 1;
} finally {
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  await stack.close();
  await rm(work, { recursive: true, force: true });
}
process.exit(exitCode);
