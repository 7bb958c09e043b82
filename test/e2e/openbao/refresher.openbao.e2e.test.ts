import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "chai";
import { makeOfflineRoot } from "../../integration/vault-config/offlineRoot.js";
import { podEnv, startOpenBaoStack, type OpenBaoStack } from "../../support/openbaoStack.js";
import { startCli, type LogLine, type RunningCli } from "../../support/startCli.js";
import { startTcpGate, type TcpGate } from "../../support/tcpGate.js";

/** Sessions of 20 s are refreshed every 9-11 s; a 25 s token is then due for renewal (after 2/3) at some refresh. */
const REFRESHER_ARGS = [
  "--session-duration",
  "20",
  "--min-validity",
  "4s",
  "--new-certificate-every-refresh",
  "--vault-max-attempts",
  "2",
  "--endpoint-port",
  "0",
  "--ops-port",
  "0",
  "--ops-host",
  "127.0.0.1",
];
const TOKEN_TTL_SEC = 25;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("iamra-vault refresher against a real OpenBao server", function () {
  this.timeout(120_000);
  let s: OpenBaoStack;
  let gate: TcpGate;
  let root: Awaited<ReturnType<typeof makeOfflineRoot>>;
  let cli: RunningCli;
  let endpoint: string;
  let ops: string;
  let endpointToken: string;
  let out: string;
  let installs = 0;

  /** apply, sign the printed CSR with the offline root, apply --signed-intermediate: the production CA flow. */
  async function configureVault(): Promise<void> {
    const n = ++installs;
    const csr = join(s.dir, `int-${n}.csr`);
    const first = await s.vaultConfig(["apply", "--csr-out", csr]);
    expect(first.code, first.stderr).to.equal(0);
    const signed = join(s.dir, `int-${n}.pem`);
    await writeFile(signed, await root.sign(await readFile(csr, "utf8")));
    const rootFile = join(s.dir, "offline-root.pem");
    const second = await s.vaultConfig(["apply", "--signed-intermediate", signed, "--root", rootFile]);
    expect(second.code, second.stderr).to.equal(0);
  }

  /** Accessors of the live tokens of Vault role "demo" on the server, with what lookup-accessor says of them. */
  async function demoTokens(): Promise<Array<Record<string, any>>> {
    const list = await s.bao.api("LIST", "auth/token/accessors");
    const out: Array<Record<string, any>> = [];
    for (const accessor of (list.body?.data?.keys ?? []) as string[]) {
      const info = await s.bao.api("POST", "auth/token/lookup-accessor", { accessor });
      if (info.body?.data?.meta?.role === "demo") out.push(info.body.data);
    }
    return out;
  }

  const isRefreshed = (l: LogLine) => l.msg === "credentials refreshed";
  /** The next "credentials refreshed" line at or after index `from`. */
  const refreshedAfter = (from: number, timeoutMs: number) =>
    cli.waitFor(isRefreshed, { from, timeoutMs, what: "a refresh" });

  async function credentials(): Promise<{ status: number; accessKeyId?: string }> {
    const res = await fetch(endpoint, { headers: { authorization: endpointToken } });
    const body = (await res.json()) as { AccessKeyId?: string };
    return { status: res.status, accessKeyId: body.AccessKeyId };
  }

  before(async () => {
    s = await startOpenBaoStack({
      minSessionSeconds: 2,
      editConfig: (text) =>
        text
          .replace(/ {4}signedBy:\n(?: {6}.*\n)+/, "    signedBy:\n      type: external\n")
          .replace("tokenTtl: 15m\n      tokenMaxTtl: 1h", `tokenTtl: ${TOKEN_TTL_SEC}s\n      tokenMaxTtl: 10m`),
    });
    const text = await readFile(s.configFile, "utf8");
    expect(text).to.contain("type: external").and.contain(`tokenTtl: ${TOKEN_TTL_SEC}s`);
    root = await makeOfflineRoot(s.dir, "offline-root");
    await configureVault();
    const aws = await s.trustInAws();
    gate = await startTcpGate(s.bao.url);
    out = join(s.dir, "out");
    await mkdir(out, { recursive: true });
    const saTokenFile = await s.saTokenFile("demo", "app");
    const env = podEnv(s, { aws, saTokenFile, vaultRole: "demo", roleArn: aws.roleArns.demo!, outputDir: out });
    cli = startCli(["refresher", ...REFRESHER_ARGS], { env: { ...env, VAULT_ADDR: gate.url } });
    const started = await cli.waitFor((l) => l.msg === "refresher started", {
      timeoutMs: 20_000,
      what: '"refresher started"',
    });
    endpoint = started.credentialsEndpoint as string;
    ops = started.ops as string;
    endpointToken = await readFile(started.tokenFile as string, "utf8");
    await refreshedAfter(0, 20_000);
  });
  after(async () => {
    cli?.kill();
    await cli?.exited;
    await gate?.close();
    await s?.close();
  });

  it(`renews its ${TOKEN_TTL_SEC} s Vault token on the real server instead of logging in again`, async () => {
    const deadline = Date.now() + 60_000;
    let tokens = await demoTokens();
    while (Date.now() < deadline && !tokens.some((t) => t.last_renewal_time)) {
      await sleep(1_000);
      tokens = await demoTokens();
    }
    expect(tokens, "one token of role demo: a single login").to.have.length(1);
    const [token] = tokens;
    expect(token!.creation_ttl).to.equal(TOKEN_TTL_SEC);
    expect(token!.last_renewal_time, "renewed").to.be.a("number").and.greaterThan(token!.creation_time);
    // the token outlived its first TTL: renew-self moved its expiry
    expect(Date.parse(token!.expire_time)).to.be.greaterThan(Date.parse(token!.issue_time) + TOKEN_TTL_SEC * 1000);
    expect(cli.lines.filter(isRefreshed).length, "credentials kept refreshing meanwhile").to.be.greaterThan(1);
  });

  it("serves the last good credentials while OpenBao is sealed, recovers after unseal without a restart", async () => {
    const last = await refreshedAfter(cli.lines.length, 30_000);
    const servedKey = last.accessKeyId as string;
    // the loop schedules the next refresh once the files are written
    await cli.waitFor((l) => l.msg === "next refresh scheduled", {
      from: cli.lines.indexOf(last),
      what: "the files written",
    });
    const file = await readFile(join(out, "credentials"), "utf8");
    expect(file).to.contain(servedKey);
    const from = cli.lines.length;
    await s.bao.seal();
    const samples: number[] = [];
    const failed = cli.waitFor((l) => (l.error as { code?: string } | undefined)?.code === "VAULT_SEALED", {
      from,
      timeoutMs: 30_000,
      what: "a refresh failing with VAULT_SEALED",
    });
    let sealedLine: LogLine | undefined;
    void failed.then(
      (l) => (sealedLine = l),
      () => undefined,
    );
    const deadline = Date.now() + 30_000;
    while (!sealedLine && Date.now() < deadline) {
      const c = await credentials();
      expect([c.status, c.accessKeyId], "the last good credentials").to.deep.equal([200, servedKey]);
      samples.push(c.status);
      await sleep(500);
    }
    const line = await failed;
    expect(line.level).to.equal("warn");
    expect(line.permanent).to.equal(false);
    expect(samples.length).to.be.greaterThan(0);
    expect(await readFile(join(out, "credentials"), "utf8"), "the file is unchanged").to.equal(file);
    expect(await credentials()).to.deep.equal({ status: 200, accessKeyId: servedKey });
    const metrics = await (await fetch(`${ops.replace("://0.0.0.0:", "://127.0.0.1:")}/metrics`)).text();
    expect(metrics).to.match(/iamra_refresh_total\{[^}]*result="failure"[^}]*\} [1-9]/);

    await s.bao.unseal();
    const recovered = await refreshedAfter(cli.lines.indexOf(line), 40_000);
    expect(recovered.accessKeyId).to.not.equal(servedKey);
    expect(await credentials()).to.deep.equal({ status: 200, accessKeyId: recovered.accessKeyId });
    expect(cli.child.exitCode, "still the same process").to.equal(null);
  });

  it("logs in again by itself after OpenBao restarts empty and vault-config re-applies the setup", async () => {
    // usually one token; a token replaced while the server was sealed (previous test) can linger until its TTL, because
    // revoking the old token is best effort and a sealed server refuses it
    const before = (await demoTokens()).map((t) => t.accessor as string);
    expect(before).to.not.be.empty;
    // the refresher reaches OpenBao through the gate, closed while the server is empty (between restart and apply)
    gate.block();
    const from = cli.lines.length;
    try {
      await s.bao.restart();
      expect(await demoTokens(), "the restarted server is empty").to.deep.equal([]);
      await configureVault();
    } finally {
      gate.unblock();
    }
    const recovered = await refreshedAfter(from, 60_000);
    const after = await demoTokens();
    expect(after, "a new login on the new server").to.have.length(1);
    expect(before).to.not.include(after[0]!.accessor);
    expect(await credentials()).to.deep.equal({ status: 200, accessKeyId: recovered.accessKeyId });
    expect(cli.child.exitCode, "still the same process").to.equal(null);
  });
});
