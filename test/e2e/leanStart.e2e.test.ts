import { expect } from "chai";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { generateKeyPair } from "../../lib/x509/generateKeyPair.js";
import { makeCertificate } from "../../devstack/certificates/makeCertificate.js";
import { startAwsStandIns, type AwsStandIns } from "../support/awsStandIns.js";
import { runCli, type CliRun } from "../support/runCli.js";
import { cryptoKeyPairOf } from "../../devstack/certificates/cryptoKeyPairOf.js";

describe("the built CLI's lean start (end to end)", function () {
  this.timeout(60_000);
  let aws: AwsStandIns;
  let dir: string;
  let preload: string;
  let args: string[];

  before(async () => {
    aws = await startAwsStandIns();
    dir = await mkdtemp(join(tmpdir(), "iamra-lean-"));
    const root = await makeCertificate({ subject: "CN=Lean Root CA", ca: true });
    const pair = await generateKeyPair("ec-p256");
    const leaf = await makeCertificate({ subject: "CN=lean", issuer: root, keys: await cryptoKeyPairOf(pair) });
    const privateKey = pair.signingKey.keyObject;
    const key = privateKey.export({ type: "pkcs8", format: "pem" });
    await writeFile(join(dir, "leaf.crt"), leaf.pem);
    await writeFile(join(dir, "leaf.key"), key, { mode: 0o600 });
    const role = aws.ra.addRole({ name: "lean-role" });
    args = [
      "credential-process",
      "--certificate",
      join(dir, "leaf.crt"),
      "--private-key",
      join(dir, "leaf.key"),
      "--trust-anchor-arn",
      aws.ra.addTrustAnchor({ name: "lean", caCertificatesPem: root.pem }).arn,
      "--profile-arn",
      aws.ra.addProfile({ name: "lean", roleArns: [role.arn] }).arn,
      "--role-arn",
      role.arn,
      "--endpoint",
      aws.ra.url,
    ];
    // lists, at exit, the bundle files and the Node built-in modules the process loaded
    preload = join(dir, "listLoaded.cjs");
    await writeFile(
      preload,
      `process.on("exit", () => require("node:fs").writeFileSync(process.env.LOADED_OUT,
      JSON.stringify({ files: Object.keys(require.cache), builtins: process.moduleLoadList })));\n`,
    );
  });
  after(async () => aws?.close());

  async function run(argv: string[], name: string): Promise<{ run: CliRun; loaded: string[]; builtins: string[] }> {
    const out = join(dir, `${name}.json`);
    const result = await runCli(argv, { env: { NODE_OPTIONS: `--require ${preload}`, LOADED_OUT: out } });
    const { files, builtins } = JSON.parse(await readFile(out, "utf8")) as { files: string[]; builtins: string[] };
    const loaded = files.map((p) => basename(p)).filter((p) => p !== basename(preload));
    const modules = builtins.filter((m) => m.startsWith("NativeModule ")).map((m) => m.slice("NativeModule ".length));
    return { run: result, loaded, builtins: modules };
  }

  it("runs credential-process with only its own spec and body (no commander, no pino) at warn", async () => {
    const { run: r, loaded, builtins } = await run(args, "plain");
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout)).to.include({ Version: 1 });
    const expected = ["credentialProcessLeanCommand.cjs", "iamra-vault.cjs"];
    expect(loaded.sort()).to.deep.equal(expected);
    // a direct http:// call on a connection of its own, files read with node:fs: Node's HTTP client modules and
    // node:fs/promises (which brings readline and the file watchers) cost start-up time and are not needed
    expect(builtins).to.include("net").and.include("crypto");
    for (const m of ["http", "_http_client", "_http_agent", "fs/promises", "tls"]) expect(builtins).to.not.include(m);
  });

  it("writes --debug lines without loading pino, and loads the commander program for --help", async () => {
    const debug = await run([...args, "--debug"], "debug");
    expect(debug.run.code, debug.run.stderr).to.equal(0);
    expect(debug.run.stderr).to.include('"msg":"credentials obtained"');
    expect(debug.loaded).to.not.include("pino.cjs").and.not.include("runProgram.cjs");
    const help = await run(["credential-process", "--help"], "help");
    expect(help.run.code).to.equal(0);
    expect(help.run.stdout).to.include("Usage: iamra-vault credential-process");
    expect(help.loaded).to.include("runProgram.cjs");
  });
});
