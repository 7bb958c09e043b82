import { expect } from "chai";
import { chown, readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "ini";
import type { LogLine } from "../support/startCli.js";
import {
  expectNoSecretsIn,
  makeScene,
  plantedSecrets,
  sampleWhile,
  startRefresher,
  startRefresherHarness,
  type RefresherHarness,
} from "../support/refresherHarness.js";

const NOBODY = 65534;

describe("iamra-vault refresher under faults (end to end on the devstack)", function () {
  this.timeout(60_000);
  let h: RefresherHarness;

  before(async () => {
    h = await startRefresherHarness();
  });
  after(async () => h?.close());

  const fileKey = async (out: string) =>
    (parse(await readFile(join(out, "credentials"), "utf8")) as Record<string, Record<string, string> | undefined>)
      .default?.aws_access_key_id;
  const failures = (lines: LogLine[], from: number) =>
    lines
      .slice(from)
      .filter((l) => l.msg === "refresh failed; retrying")
      .map((l) => (l.error as { code: string }).code);

  it("serves the last good credentials while Vault is down, turns /readyz 503 only below the minimum validity, 503 after expiry, and recovers", async () => {
    const s = await makeScene(h);
    // a certificate per refresh, so that every refresh needs Vault (with reuse, a short outage is not even noticed)
    const r = await startRefresher(h, s, [
      "--new-certificate-every-refresh",
      "--vault-max-attempts",
      "1",
      "--vault-timeout",
      "500ms",
    ]);
    const last = await r.refreshed(2);
    const lastKey = last.accessKeyId as string;
    const expMs = Date.parse(last.expiration as string);
    const from = r.cli.lines.length;
    h.stack.vault.seal();
    const samples = await sampleWhile(r, { until: () => Date.now() > expMs + 1500, deadlineMs: 10_000 });
    h.stack.vault.unseal();
    const unsealedAt = Date.now();
    const back = await r.cli.waitFor((l) => l.msg === "credentials refreshed", {
      from,
      timeoutMs: 25_000,
      what: "a refresh after unsealing",
    });
    const recoveryMs = Date.parse(back.time as string) - unsealedAt;

    expect(failures(r.cli.lines, from).length, "failed refreshes while sealed").to.be.at.least(1);
    expect(new Set(failures(r.cli.lines, from))).to.deep.equal(new Set(["VAULT_SEALED"]));
    const margin = 300;
    const healthy = samples.filter((x) => x.atMs < expMs - 2000 - margin);
    const low = samples.filter((x) => x.atMs > expMs - 2000 + margin && x.atMs < expMs - margin);
    const expired = samples.filter((x) => x.atMs > expMs + margin);
    for (const [name, group] of [
      ["healthy", healthy],
      ["low", low],
      ["expired", expired],
    ] as const)
      expect(group.length, `${name} samples`).to.be.at.least(2);
    expect(
      healthy.map((x) => [x.endpoint, x.accessKeyId, x.readyz]),
      "before the minimum validity",
    ).to.deep.equal(healthy.map(() => [200, lastKey, 200]));
    expect(
      low.map((x) => [x.endpoint, x.accessKeyId, x.readyz]),
      "below the minimum validity",
    ).to.deep.equal(low.map(() => [200, lastKey, 503]));
    expect(
      expired.map((x) => [x.endpoint, x.accessKeyId, x.errorCode, x.readyz]),
      "after expiry",
    ).to.deep.equal(expired.map(() => [503, undefined, "CREDENTIALS_UNAVAILABLE", 503]));
    expect(
      samples.filter((x) => x.endpoint === 200 && x.accessKeyId !== lastKey),
      "never another key while sealed",
    ).to.deep.equal([]);

    expect(recoveryMs, "recovery after unseal (ms)").to.be.below(20_000);
    const now = await r.credentials();
    expect([now.status, now.body.AccessKeyId]).to.deep.equal([200, back.accessKeyId]);
    expect(await r.readyz()).to.equal(200);
    expect(await r.cli.stop()).to.deep.equal({ code: 0, signal: null });
    expectNoSecretsIn(r.cli, plantedSecrets(h, [s.saToken, r.token]));
  });

  it("absorbs Roles Anywhere 5xx and 429 bursts: the endpoint and /readyz never fail and rotation continues", async () => {
    const s = await makeScene(h);
    // 16 s sessions: refresh at ~8 s left, so the retries' backoff (1 s base, not scaled to the session) fits in the
    // slack
    const r = await startRefresher(h, s, ["--session-duration", "16", "--min-validity", "1s"]);
    await r.refreshed(1);
    const ra = h.stack.rolesAnywhere;
    const raFrom = ra.requests.length;
    const from = r.cli.lines.length;
    ra.injectFault({ count: 2, status: 500, code: "InternalServerException", message: "boom" });
    ra.injectFault({ count: 2, status: 429, code: "ThrottlingException", message: "Rate exceeded" });
    const samples = await sampleWhile(r, { until: () => r.keys().length >= 2, deadlineMs: 25_000 });
    expect(r.keys(), "a refresh got through the bursts").to.have.length(2);

    expect(ra.requests.slice(raFrom).map((q) => q.status)).to.deep.equal([500, 500, 429, 429, 201]);
    const retries = r.cli.lines
      .slice(from)
      .filter((l) => l.msg === "retrying")
      .map((l) => l.code);
    expect(retries.length).to.be.at.least(3);
    expect(new Set(retries)).to.deep.equal(new Set(["RA_SERVER_ERROR", "RA_THROTTLED"]));
    expect(samples.length).to.be.at.least(20);
    expect(
      samples.filter((x) => x.endpoint !== 200 || x.readyz !== 200),
      "samples that were not 200/200",
    ).to.deep.equal([]);
    expect(await r.cli.stop()).to.deep.equal({ code: 0, signal: null });
  });

  it("keeps serving when the output directory becomes unwritable, leaves the file byte for byte, and writes again once it is writable", async () => {
    const s = await makeScene(h);
    await chown(s.out, NOBODY, NOBODY);
    const r = await startRefresher(h, s, [], { uid: NOBODY, gid: NOBODY });
    /** Matches the "credentials refreshed" line of a refresh whose session the stand-in issues after this call. */
    const issuedAfterNow = () => {
      const issued = new Set(h.stack.sessions.all().map((x) => x.accessKeyId));
      return (l: LogLine) => l.msg === "credentials refreshed" && !issued.has(l.accessKeyId as string);
    };
    // the whole set (credentials, then the state file) is on disk only at this line, not when the credentials file is
    const written = (key: unknown, from = 0) =>
      r.cli.waitFor((l) => l.msg === "credential files written" && l.accessKeyId === key, { from, timeoutMs: 15_000 });
    const first = await r.refreshed(1);
    await written(first.accessKeyId);

    await chown(s.out, 0, 0); // 0755 root: the refresher (nobody) can no longer create or rename its temp files
    // a refresh writes only after its CreateSession answer, so one whose session is issued from now on writes after
    // the chown. The stand-in runs in this process: its record has no lag, unlike the refresher's piped log, where a
    // refresh logged before the chown (its write then straddling it) can still arrive after this point.
    const afterChown = await r.cli.waitFor(issuedAfterNow(), { timeoutMs: 15_000, what: "a refresh after the chown" });
    // refreshes run one after another: no write begun before the chown is in flight any more, and nothing the
    // refresher does can change the directory
    const before = await readFile(join(s.out, "credentials"));
    const listing = (await readdir(s.out)).sort();
    // a write in flight at the chown cannot rename or remove its temp file: it stays until a restart cleans it up
    const stranded = listing.filter((n) => n.endsWith(".tmp"));
    const failed = await r.cli.waitFor((l) => l.msg === "writing credential files failed; the endpoint is unaffected", {
      from: r.cli.lines.indexOf(afterChown),
      timeoutMs: 10_000,
    });
    const error = failed.error as { code: string; details: { replaced: string[] } };
    expect(error.code).to.equal("OUTPUT_NOT_WRITABLE");
    expect(error.details.replaced, "the failed write replaced nothing").to.deep.equal([]);
    const served = await r.credentials();
    expect(served.status).to.equal(200);
    const doc = parse(before.toString("utf8")) as Record<string, Record<string, string>>;
    const inFile = doc.default?.aws_access_key_id;
    expect(served.body.AccessKeyId, "the endpoint serves a newer key than the file").to.not.equal(inFile);
    const issued = h.stack.sessions.lookup(served.body.AccessKeyId!);
    expect(issued, "a key the stand-in issued").to.not.equal(undefined);
    expect(await r.readyz()).to.equal(200);
    expect(await readFile(join(s.out, "credentials")), "file untouched").to.deep.equal(before);
    expect((await readdir(s.out)).sort(), "no temp files").to.deep.equal(listing);
    expect(await r.metrics()).to.match(/^iamra_refresh_total\{result="failure",stage="write-output"\} [1-9]/m);

    await chown(s.out, NOBODY, NOBODY);
    const next = await r.cli.waitFor(issuedAfterNow(), { timeoutMs: 15_000, what: "a refresh after recovery" });
    await written(next.accessKeyId, r.cli.lines.indexOf(next));
    expect(await fileKey(s.out), "written again after recovery").to.equal(next.accessKeyId);
    const temps = (await readdir(s.out)).filter((n) => n.endsWith(".tmp"));
    expect(
      temps.filter((n) => !stranded.includes(n)),
      "temp files left by the writes after recovery",
    ).to.deep.equal([]);
    expect(await r.cli.stop()).to.deep.equal({ code: 0, signal: null });
    expectNoSecretsIn(r.cli, plantedSecrets(h, [s.saToken, r.token]));
  });
});
