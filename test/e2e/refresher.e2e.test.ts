import { expect } from "chai";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "ini";
import { fromHttp, fromIni } from "@aws-sdk/credential-providers";
import { startStsStandIn, type StsStandIn } from "../../devstack/sts/startStsStandIn.js";
import { botoClientLoop, jsClientLoop, type CallResult } from "../support/sdkClientLoops.js";
import {
  expectNoSecretsIn,
  makeScene,
  plantedSecrets,
  startRefresher,
  startRefresherHarness,
  type RefresherHarness,
} from "../support/refresherHarness.js";

const WINDOW_MS = 14_000;

describe("iamra-vault refresher (end to end on the devstack)", function () {
  this.timeout(60_000);
  let h: RefresherHarness;
  const extraSts: StsStandIn[] = [];

  before(async () => {
    h = await startRefresherHarness();
  });
  after(async () => {
    for (const s of extraSts) await s.close();
    await h?.close();
  });

  /** One more STS stand-in on the shared session store, so each client's requests are recorded apart. */
  async function sts(): Promise<StsStandIn> {
    const s = await startStsStandIn({ sessions: h.stack.sessions });
    extraSts.push(s);
    return s;
  }

  const keysSeen = (s: StsStandIn, from = 0) => [
    ...new Set(s.requests.slice(from).flatMap((r) => (r.accessKeyId ? [r.accessKeyId] : []))),
  ];
  const fileKey = async (out: string) =>
    (parse(await readFile(join(out, "credentials"), "utf8")) as Record<string, Record<string, string>>).default!
      .aws_access_key_id!;

  it("keeps long-running JS v3 and botocore clients working across rotations through the endpoint, while file-only clients keep the old key until it expires", async () => {
    const s = await makeScene(h);
    const r = await startRefresher(h, s);
    await r.refreshed(1);
    const vaultRequestsAfterStart = h.stack.vault.requests.length;
    // the first file write follows the first refresh; the whole set is on disk once this line is logged
    const firstKey = r.keys()[0];
    await r.cli.waitFor((l) => l.msg === "credential files written" && l.accessKeyId === firstKey, {
      timeoutMs: 15_000,
      what: "the first files written",
    });
    const fileKeyAtStart = await fileKey(s.out);

    const [jsEp, jsFile, pyEp, pyFile] = [h.stack.sts, await sts(), await sts(), await sts()];
    const jsEpFrom = jsEp.requests.length;
    const empty = join(s.dir, "none");
    const endpointEnv = {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: r.endpoint,
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: r.tokenFile,
    };
    const fileEnv = { AWS_SHARED_CREDENTIALS_FILE: join(s.out, "credentials") };
    const started = Date.now();
    const [jsEpRuns, jsFileRuns, pyEpRun, pyFileRun] = await Promise.all([
      jsClientLoop({
        sts: jsEp.url,
        forMs: WINDOW_MS,
        credentials: fromHttp({
          awsContainerCredentialsFullUri: r.endpoint,
          awsContainerAuthorizationTokenFile: r.tokenFile,
        }),
      }),
      jsClientLoop({
        sts: jsFile.url,
        forMs: WINDOW_MS,
        credentials: fromIni({ filepath: join(s.out, "credentials"), configFilepath: empty, profile: "default" }),
      }),
      botoClientLoop({
        sts: pyEp.url,
        forMs: WINDOW_MS,
        env: { HOME: s.dir, AWS_CONFIG_FILE: empty, AWS_SHARED_CREDENTIALS_FILE: empty, ...endpointEnv },
      }),
      botoClientLoop({ sts: pyFile.url, forMs: WINDOW_MS, env: { HOME: s.dir, AWS_CONFIG_FILE: empty, ...fileEnv } }),
    ]);
    const rotations = r.cli.lines.filter(
      (l) => l.msg === "credentials refreshed" && Date.parse(l.time as string) > started,
    ).length;
    expect(rotations, "rotations during the window").to.be.at.least(3);
    expect(pyEpRun.stderr, "botocore stderr").to.equal("");
    expect(pyEpRun.version.split(".").map(Number)[1], "botocore >= 1.32 (token file support)").to.be.at.least(32);

    // endpoint clients: every call succeeded, and they signed with at least 4 different keys, all issued to the
    // refresher
    const allOk = (runs: CallResult[]) => runs.filter((x) => !x.ok).map((x) => x.detail);
    for (const [name, runs, standIn, from] of [
      ["JS v3", jsEpRuns, jsEp, jsEpFrom],
      ["botocore", pyEpRun.results, pyEp, 0],
    ] as const) {
      expect(runs.length, `${name} calls`).to.be.at.least(10);
      expect(allOk(runs), `${name} failures`).to.deep.equal([]);
      const roleName = h.stack.info.rolesAnywhere.roleArn.split("/").pop();
      expect(
        runs.every((x) => x.detail.includes(`:assumed-role/${roleName}/`)),
        `${name} ARN`,
      ).to.equal(true);
      const keys = keysSeen(standIn, from);
      expect(keys.length, `${name}: distinct access keys it signed with`).to.be.at.least(4);
      expect(r.keys(), `${name}: keys are the refresher's`).to.include.members(keys as string[]);
      expect(
        standIn.requests.slice(from).every((q) => q.status === 200),
        `${name}: STS accepted every request`,
      ).to.equal(true);
      for (const k of keys) expect(h.stack.sessions.lookup(k!)?.roleArn).to.equal(h.stack.info.rolesAnywhere.roleArn);
    }

    // file-only clients: one key for the life of the client, the one in the file when it first read it (the file as
    // it was at the window's start, or after a rotation that came before a slow client start), then ExpiredToken
    const fileKeyAtEnd = await fileKey(s.out);
    expect(fileKeyAtEnd, "the file was rewritten with newer keys").to.not.equal(fileKeyAtStart);
    const keysInFileOrder = r.keys();
    for (const [name, runs, standIn] of [
      ["JS v3 fromIni", jsFileRuns, jsFile],
      ["botocore file", pyFileRun.results, pyFile],
    ] as const) {
      const keys = keysSeen(standIn);
      expect(keys, `${name}: keys it signed with`).to.have.lengthOf(1);
      expect(keysInFileOrder.indexOf(keys[0]!), `${name}: a key the file held at or after the start`).to.be.at.least(
        keysInFileOrder.indexOf(fileKeyAtStart),
      );
      expect(keys[0], `${name}: an older key than the file's last`).to.not.equal(fileKeyAtEnd);
      expect(runs[0]?.ok, `${name}: first call`).to.equal(true);
      expect(runs.at(-1)?.ok, `${name}: last call`).to.equal(false);
      expect(standIn.requests.at(-1)?.errorCode, `${name}: STS refused the old key`).to.equal("ExpiredToken");
      expect(runs.at(-1)?.detail).to.equal("ExpiredToken");
    }

    // certificate reuse: the whole window needed no Vault request and one certificate signed every session
    expect(h.stack.vault.requests.length, "Vault requests after the first refresh").to.equal(vaultRequestsAfterStart);
    const serials = new Set(r.keys().map((k) => h.stack.sessions.lookup(k)!.roleSessionName));
    expect(serials.size).to.equal(1);

    expect(await r.cli.stop()).to.deep.equal({ code: 0, signal: null });
    expectNoSecretsIn(r.cli, plantedSecrets(h, [s.saToken, r.token]));
  });

  it("guards the endpoint: token required (401), loopback only, token file without newline, metrics, no secret in debug logs", async () => {
    const s = await makeScene(h);
    const r = await startRefresher(h, s, ["--debug", "--ops-host", "0.0.0.0"]);
    await r.refreshed(1);

    expect(r.token).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(r.token.endsWith("\n")).to.equal(false);
    expect((await readFile(r.tokenFile)).at(-1)).to.not.equal(0x0a);
    expect(
      (await stat(r.tokenFile)).mode & 0o777,
      "token file mode follows --file-mode (0640: the pod's fsGroup)",
    ).to.equal(0o640);

    const unauthorized = [null, "", "Bearer " + r.token, r.token.slice(0, -1), r.token + "x", r.token.toUpperCase()];
    for (const auth of unauthorized) {
      const res = await r.credentials(auth);
      expect(res.status, `Authorization ${JSON.stringify(auth?.slice(0, 8))}`).to.equal(401);
      expect(res.body.AccessKeyId).to.equal(undefined);
    }
    const ok = await r.credentials();
    expect(ok.status).to.equal(200);
    expect(Object.keys(ok.body).sort()).to.deep.equal([
      "AccessKeyId",
      "Expiration",
      "RoleArn",
      "SecretAccessKey",
      "Token",
    ]);
    expect(h.stack.sessions.lookup(ok.body.AccessKeyId!)?.secretAccessKey).to.equal(ok.body.SecretAccessKey);

    // the bound addresses of this process's listening sockets: the endpoint on 127.0.0.1 only
    const port = (url: string) => new URL(url).port;
    const { stdout } = await promisify(execFile)("ss", ["-ltnpH"]);
    const mine = stdout
      .split("\n")
      .filter((l) => l.includes(`pid=${r.cli.pid},`))
      .map((l) => l.trim().split(/\s+/)[3]!);
    expect(
      mine.filter((a) => a.endsWith(`:${port(r.endpoint)}`)),
      "endpoint sockets",
    ).to.deep.equal([`127.0.0.1:${port(r.endpoint)}`]);
    // --ops-host 0.0.0.0 (the default, for kubelet probes) is the only wildcard socket; it serves no secret
    expect(
      mine.filter((a) => !a.startsWith("127.0.0.1:")),
      "non-loopback sockets",
    ).to.deep.equal([`0.0.0.0:${port(r.ops)}`]);

    const metrics = await r.metrics();
    const value = (name: string) =>
      Number(metrics.match(new RegExp(`^${name.replace(/[{}]/g, "\\$&")} (\\S+)$`, "m"))?.[1]);
    expect(value('iamra_refresh_total{result="success",stage="complete"}')).to.equal(r.keys().length);
    expect(value('iamra_endpoint_requests_total{endpoint="container",status="401"}')).to.equal(unauthorized.length);
    expect(value('iamra_endpoint_requests_total{endpoint="container",status="200"}')).to.equal(1);
    expect(value("iamra_credentials_expiry_timestamp_seconds")).to.equal(Date.parse(ok.body.Expiration!) / 1000);
    expect(value("iamra_last_success_timestamp_seconds")).to.be.within(Date.now() / 1000 - 10, Date.now() / 1000);
    expect(value("iamra_certificate_expiry_timestamp_seconds")).to.be.greaterThan(Date.now() / 1000 + 600);
    expect(metrics).to.match(
      /^iamra_upstream_duration_seconds_count\{upstream="rolesanywhere",operation="CreateSession"\} [1-9]/m,
    );
    expect(metrics).to.match(/^iamra_upstream_duration_seconds_count\{upstream="vault",operation="login"\} 1$/m);

    expect(await r.cli.stop()).to.deep.equal({ code: 0, signal: null });
    expect(r.cli.lines.some((l) => l.level === "debug")).to.equal(true);
    expect(
      r.cli.lines.filter((l) => l.level === "warn" && l.msg === "rejected request without a valid token"),
    ).to.have.length(unauthorized.length);
    expectNoSecretsIn(r.cli, plantedSecrets(h, [s.saToken, r.token, ok.body.SecretAccessKey!, ok.body.Token!]));
  });
});
