import { expect } from "chai";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type AddressInfo, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyPair } from "../../lib/x509/generateKeyPair.js";
import { makeCertificate } from "../../devstack/certificates/makeCertificate.js";
import { startDevstack, type Devstack } from "../../devstack/startDevstack.js";
import { podEnvironment } from "../../devstack/podEnvironment.js";
import { startAwsStandIns, type AwsStandIns } from "../support/awsStandIns.js";
import { startTinyproxy, type Tinyproxy } from "../support/tinyproxy.js";
import { startTlsFront, type TlsFront } from "../support/tlsFront.js";
import { runCli } from "../support/runCli.js";
import { cryptoKeyPairOf } from "../../devstack/certificates/cryptoKeyPairOf.js";

const PROXY_PASSWORD = "Pr0xyPassw0rd";

describe("HTTP(S) proxies (end to end, through a real tinyproxy)", function () {
  this.timeout(90_000);
  let aws: AwsStandIns;
  let front: TlsFront;
  let proxy: Tinyproxy;
  let refusing: Tinyproxy;
  let dir: string;
  let args: string[];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-proxy-"));
    aws = await startAwsStandIns();
    front = await startTlsFront(aws.ra.url);
    proxy = await startTinyproxy();
    refusing = await startTinyproxy({ refuse: true });
    const root = await makeCertificate({ subject: "CN=Proxy E2E Root", ca: true });
    const pair = await generateKeyPair("ec-p256");
    const leaf = await makeCertificate({ subject: "CN=proxy-e2e", issuer: root, keys: await cryptoKeyPairOf(pair) });
    const keyPem = pair.signingKey.keyObject.export({ type: "pkcs8", format: "pem" });
    await writeFile(join(dir, "leaf.crt"), leaf.pem);
    await writeFile(join(dir, "leaf.key"), keyPem, { mode: 0o600 });
    await writeFile(join(dir, "front-ca.pem"), front.caPem);
    const role = aws.ra.addRole({ name: "proxy-role" });
    args = [
      "credential-process",
      "--certificate",
      join(dir, "leaf.crt"),
      "--private-key",
      join(dir, "leaf.key"),
      "--trust-anchor-arn",
      aws.ra.addTrustAnchor({ name: "proxy", caCertificatesPem: root.pem }).arn,
      "--profile-arn",
      aws.ra.addProfile({ name: "proxy", roleArns: [role.arn] }).arn,
      "--role-arn",
      role.arn,
      "--endpoint",
      front.url,
      "--ca-bundle",
      join(dir, "front-ca.pem"),
    ];
  });
  after(async () => {
    await Promise.all([proxy?.stop(), refusing?.stop(), front?.close(), aws?.close()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const frontAuthority = () => new URL(front.url).host;

  it("credential-process reaches an HTTPS endpoint through the proxy with CONNECT (--with-proxy accepted)", async () => {
    const before = aws.ra.requests.length;
    const run = await runCli([...args, "--with-proxy"], { env: { HTTPS_PROXY: proxy.url } });
    expect(run.stderr).to.equal("");
    expect(run.code).to.equal(0);
    const creds = JSON.parse(run.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    expect(aws.sessions.lookup(creds.AccessKeyId), "credentials issued by the stand-in").to.not.equal(undefined);
    expect(aws.ra.requests.length - before).to.equal(1);
    expect(await proxy.requests()).to.include(`CONNECT ${frontAuthority()}`);
    const log = await proxy.log();
    for (const secret of [creds.SecretAccessKey, creds.SessionToken, "BEGIN", "Authorization", "X-Amz-X509"]) {
      expect(log, "proxy log").to.not.contain(secret);
    }
  });

  it("uses the lower-case https_proxy over HTTPS_PROXY and keeps the proxy password out of the output", async () => {
    const url = new URL(proxy.url);
    url.username = "user";
    url.password = PROXY_PASSWORD;
    const connects = (await proxy.requests()).length;
    const run = await runCli(args, { env: { https_proxy: url.href, HTTPS_PROXY: "http://127.0.0.1:9" } });
    expect(run.code, run.stderr).to.equal(0);
    expect((await proxy.requests()).length - connects).to.equal(1);
    expect(run.stderr + run.stdout).to.not.contain(PROXY_PASSWORD);
  });

  it("goes directly to hosts listed in NO_PROXY", async () => {
    const seen = (await proxy.requests()).length;
    const connections = front.connections;
    const run = await runCli(args, { env: { HTTPS_PROXY: proxy.url, NO_PROXY: `example.com,${frontAuthority()}` } });
    expect(run.code, run.stderr).to.equal(0);
    expect(front.connections - connections, "connections the endpoint saw").to.equal(1);
    expect((await proxy.requests()).length - seen, "requests the proxy saw").to.equal(0);
  });

  it("fails with PROXY_REFUSED, exit 1, when the proxy refuses the tunnel, without leaking the proxy password", async () => {
    const url = new URL(refusing.url);
    url.username = "user";
    url.password = PROXY_PASSWORD;
    const requests = aws.ra.requests.length;
    const run = await runCli([...args, "--max-attempts", "1"], { env: { HTTPS_PROXY: url.href } });
    expect(run.code).to.equal(1);
    expect(run.stdout).to.equal("");
    expect(run.stderr).to.contain("[PROXY_REFUSED]");
    expect(run.stderr).to.contain(`refused to open a tunnel to ${frontAuthority()} (HTTP 403`);
    expect(run.stderr).to.contain("NO_PROXY");
    expect(run.stderr).to.not.contain(PROXY_PASSWORD);
    expect(aws.ra.requests.length, "requests that reached Roles Anywhere").to.equal(requests);
    expect(await refusing.log()).to.contain(`Unauthorized connection from "127.0.0.1"`);
  });

  it("fails with PROXY_UNREACHABLE when nothing listens at the proxy address", async () => {
    const closed = await closedPort();
    const run = await runCli([...args, "--max-attempts", "1"], { env: { HTTPS_PROXY: `http://127.0.0.1:${closed}` } });
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain("[PROXY_UNREACHABLE]");
    expect(run.stderr).to.contain(`cannot reach the proxy http://127.0.0.1:${closed}`);
  });

  it("exits 2 before any network call when HTTPS_PROXY is not an http:// URL", async () => {
    const watcher = await countingServer();
    try {
      const run = await runCli(args, { env: { HTTPS_PROXY: `proxy.corp:${watcher.port}`, NO_PROXY: "" } });
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain("$HTTPS_PROXY");
      expect(watcher.connections()).to.equal(0);
    } finally {
      await watcher.close();
    }
  });

  describe("init on the devstack", () => {
    let stack: Devstack;
    before(async () => {
      stack = await startDevstack({ portBase: 0, dir: join(dir, "stack"), tps: 1000 });
    });
    after(async () => stack?.close());

    it("sends the Vault, Roles Anywhere and STS calls through the proxy, and no secret reaches the proxy's log", async () => {
      const out = join(dir, "init-out");
      await mkdir(out, { recursive: true });
      const tokenFile = join(dir, "sa-token");
      const saToken = stack.tokenReview.mintToken({ namespace: "demo", serviceAccount: "app" });
      await writeFile(tokenFile, saToken);
      const env = {
        ...podEnvironment(stack.info, tokenFile),
        IAMRA_OUTPUT_DIR: out,
        HTTP_PROXY: proxy.url,
        HTTPS_PROXY: proxy.url,
      };
      const seen = (await proxy.requests()).length;
      const run = await runCli(["init", "--verify", "--sts-endpoint", stack.info.sts.endpoint], { env });
      expect(run.code, run.stderr).to.equal(0);
      const lines = (await proxy.requests()).slice(seen);
      const vault = new URL(stack.info.vault.addr).host;
      const ra = new URL(stack.info.rolesAnywhere.endpoint).host;
      const sts = new URL(stack.info.sts.endpoint).host;
      expect(
        lines.some((l) => l.includes(`http://${vault}/v1/auth/kubernetes/login`)),
        lines.join("\n"),
      ).to.equal(true);
      expect(lines).to.include(`CONNECT ${ra}`);
      expect(lines).to.include(`CONNECT ${sts}`);
      const credentials = await readFile(join(out, "credentials"), "utf8");
      const secret = /aws_secret_access_key = (\S+)/.exec(credentials)![1]!;
      const log = await proxy.log();
      for (const s of [saToken, secret, "X-Vault-Token", "BEGIN CERTIFICATE REQUEST"]) expect(log).to.not.contain(s);
    });
  });
});

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** A TCP server that counts connections (to prove that nothing was contacted). */
async function countingServer(): Promise<{ port: number; connections(): number; close(): Promise<void> }> {
  let count = 0;
  const server: Server = createServer((s) => {
    count++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => count,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
