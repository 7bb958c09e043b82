import { expect } from "chai";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyPair } from "../../lib/x509/generateKeyPair.js";
import { makeCertificate } from "../../devstack/certificates/makeCertificate.js";
import { startConnectRecorder, type ConnectRecorder } from "../support/connectRecorder.js";
import { runCli } from "../support/runCli.js";
import { cryptoKeyPairOf } from "../../devstack/certificates/cryptoKeyPairOf.js";

const arnsIn = (region: string) => [
  "--trust-anchor-arn",
  `arn:aws:rolesanywhere:${region}:000000000000:trust-anchor/ta`,
  "--profile-arn",
  `arn:aws:rolesanywhere:${region}:000000000000:profile/p`,
  "--role-arn",
  "arn:aws:iam::000000000000:role/r",
];

describe("FIPS and dual-stack endpoints (end to end)", function () {
  this.timeout(60_000);
  let dir: string;
  let recorder: ConnectRecorder;
  let identity: string[];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-endpoints-"));
    recorder = await startConnectRecorder();
    const pair = await generateKeyPair("ec-p256");
    const leaf = await makeCertificate({ subject: "CN=endpoints", keys: await cryptoKeyPairOf(pair) });
    const keyPem = pair.signingKey.keyObject.export({ type: "pkcs8", format: "pem" });
    await writeFile(join(dir, "leaf.crt"), leaf.pem);
    await writeFile(join(dir, "leaf.key"), keyPem, { mode: 0o600 });
    identity = ["--certificate", join(dir, "leaf.crt"), "--private-key", join(dir, "leaf.key")];
  });
  after(async () => {
    await recorder?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  // The recorder stands in as HTTPS_PROXY: the CONNECT line shows the chosen host, and nothing leaves loopback.
  const cases: Array<[name: string, region: string, env: Record<string, string>, flags: string[], connect: string]> = [
    [
      "AWS_USE_FIPS_ENDPOINT=true",
      "us-east-1",
      { AWS_USE_FIPS_ENDPOINT: "true" },
      [],
      "CONNECT rolesanywhere-fips.us-east-1.amazonaws.com:443 HTTP/1.1",
    ],
    [
      "--use-fips-endpoint",
      "us-west-2",
      {},
      ["--use-fips-endpoint"],
      "CONNECT rolesanywhere-fips.us-west-2.amazonaws.com:443 HTTP/1.1",
    ],
    [
      "AWS_USE_DUALSTACK_ENDPOINT=true",
      "eu-west-1",
      { AWS_USE_DUALSTACK_ENDPOINT: "true" },
      [],
      "CONNECT rolesanywhere.eu-west-1.api.aws:443 HTTP/1.1",
    ],
    [
      "FIPS with AWS_ENDPOINT_URL_ROLESANYWHERE",
      "eu-west-1",
      { AWS_USE_FIPS_ENDPOINT: "true", AWS_ENDPOINT_URL_ROLESANYWHERE: "https://ra.internal.example:8443" },
      [],
      "CONNECT ra.internal.example:8443 HTTP/1.1",
    ],
  ];
  for (const [name, region, env, flags, connect] of cases) {
    it(`credential-process connects to the right host with ${name}`, async () => {
      const seen = recorder.lines.length;
      const run = await runCli(
        ["credential-process", ...identity, ...arnsIn(region), ...flags, "--max-attempts", "1"],
        {
          env: { ...env, HTTPS_PROXY: recorder.url },
        },
      );
      expect(run.code, run.stderr).to.equal(1);
      expect(run.stderr).to.contain("[PROXY_REFUSED]");
      expect(recorder.lines.slice(seen)).to.deep.equal([connect]);
    });
  }

  it("credential-process exits 2 before any network call when FIPS is asked for in a region without it", async () => {
    const seen = recorder.lines.length;
    const run = await runCli(["credential-process", ...identity, ...arnsIn("eu-central-1")], {
      env: { AWS_USE_FIPS_ENDPOINT: "true", HTTPS_PROXY: recorder.url },
    });
    expect(run.code).to.equal(2);
    expect(run.stdout).to.equal("");
    expect(run.stderr).to.contain('no FIPS endpoint in region "eu-central-1"');
    expect(recorder.lines.length - seen, "connections attempted").to.equal(0);
  });

  it("init exits 2 before contacting Vault when --use-fips-endpoint meets a region without FIPS", async () => {
    const tokenFile = join(dir, "token");
    await writeFile(tokenFile, "header.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVtbzphcHAifQ.sig");
    const seen = recorder.lines.length;
    const run = await runCli(["init", "--use-fips-endpoint", ...arnsIn("ap-southeast-2")], {
      env: {
        VAULT_ADDR: recorder.url, // anything contacting "Vault" would show up in the recorder
        VAULT_ROLE: "app",
        IAMRA_SA_TOKEN_FILE: tokenFile,
        IAMRA_OUTPUT_DIR: dir,
        IAMRA_COMMON_NAME: "app.demo",
        IAMRA_URI_SAN: "spiffe://cluster.local/ns/demo/sa/app",
      },
    });
    expect(run.code, run.stderr).to.equal(2);
    expect(run.stderr).to.contain('no FIPS endpoint in region "ap-southeast-2"');
    expect(recorder.lines.length - seen, "connections attempted").to.equal(0);
  });
});
