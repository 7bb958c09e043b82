import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { chmod, readFile, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runCli } from "../support/runCli.js";
import {
  makeScene,
  startRefresher,
  startRefresherHarness,
  SHORT,
  type RefresherHarness,
} from "../support/refresherHarness.js";

/** The pid of a process that has exited (a stale lock's holder). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

const metric = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);

describe("iamra-vault refresher and its output directory (end to end on the devstack)", function () {
  this.timeout(60_000);
  let h: RefresherHarness;

  before(async () => {
    h = await startRefresherHarness();
  });
  after(async () => h?.close());

  it("refuses to start on the output directory of a running refresher, leaving its token and files", async () => {
    const s = await makeScene(h);
    const first = await startRefresher(h, s);
    await first.refreshed(1);
    const second = await runCli(["refresher", ...SHORT], { env: s.env, timeoutMs: 20_000 });

    expect(second.code, second.stderr).to.equal(1);
    expect(second.stderr).to.contain("[OUTPUT_DIR_LOCKED]");
    expect(second.stderr).to.contain(`pid ${first.cli.pid}`);
    expect(await readFile(first.tokenFile, "utf8"), "the first refresher's token").to.equal(first.token);
    const served = await first.credentials();
    expect(served.status, "the first refresher's clients still get credentials").to.equal(200);
    expect(await first.cli.stop()).to.deep.equal({ code: 0, signal: null });
    expect(await readdir(s.out), "the lock is released at shutdown").to.not.include(".iamra-refresher.lock");
  });

  it("does not replace the token file when its endpoint port is in use (listens before writing it)", async () => {
    const s = await makeScene(h);
    const first = await startRefresher(h, s);
    await first.refreshed(1);
    const port = new URL(first.endpoint).port;
    const other = await makeScene(h);
    const args = [...SHORT, "--endpoint-port", port, "--endpoint-token-file", first.tokenFile];
    const second = await runCli(["refresher", ...args], { env: other.env, timeoutMs: 20_000 });

    expect(second.code, second.stderr).to.equal(1);
    expect(second.stderr).to.contain("[LISTEN_FAILED]");
    expect(await readFile(first.tokenFile, "utf8"), "the first refresher's token").to.equal(first.token);
    expect((await first.credentials()).status).to.equal(200);
    expect(await readdir(other.out), "the failed one released its own lock").to.not.include(".iamra-refresher.lock");
    expect(await first.cli.stop()).to.deep.equal({ code: 0, signal: null });
  });

  it("keeps its endpoint token across a restart: a client holding the old token still gets credentials", async () => {
    const s = await makeScene(h);
    const first = await startRefresher(h, s);
    await first.refreshed(1);
    expect(await first.cli.stop()).to.deep.equal({ code: 0, signal: null });

    const second = await startRefresher(h, s);
    expect(second.token, "the token file after the restart").to.equal(first.token);
    const written = first.cli.lines.find((l) => l.msg === "endpoint token written");
    expect(written?.previous, "no token file before the first start").to.equal("absent");
    await second.cli.waitFor((l) => l.msg === "endpoint token kept from the previous run", { timeoutMs: 5_000 });
    await second.refreshed(1);
    const served = await second.credentials(first.token);
    expect(served.status, "a client that cached the first token").to.equal(200);
    expect(second.keys(), "a key the restarted refresher obtained").to.include(served.body.AccessKeyId);
    expect(await second.cli.stop()).to.deep.equal({ code: 0, signal: null });
  });

  it("writes a new endpoint token when the old file is not exactly what it writes (here: another mode)", async () => {
    const s = await makeScene(h);
    const first = await startRefresher(h, s);
    expect(await first.cli.stop()).to.deep.equal({ code: 0, signal: null });
    await chmod(first.tokenFile, 0o666);

    const second = await startRefresher(h, s);
    expect(second.token)
      .to.match(/^[A-Za-z0-9_-]{43}$/)
      .and.not.equal(first.token);
    const written = await second.cli.waitFor((l) => l.msg === "endpoint token written", { timeoutMs: 5_000 });
    expect(written.previous).to.equal("mode 666, not 640");
    expect((await stat(second.tokenFile)).mode & 0o777).to.equal(0o640);
    expect((await second.credentials(first.token)).status, "the old token").to.equal(401);
    expect(await second.cli.stop()).to.deep.equal({ code: 0, signal: null });
  });

  it("takes over the lock of a process that is gone and removes only its own stale temp files at start", async () => {
    const s = await makeScene(h);
    const gone = deadPid();
    await writeFile(join(s.out, ".iamra-refresher.lock"), JSON.stringify({ pid: gone, since: "2020-01-01T00:00:00Z" }));
    const stale = [
      ".credentials.4242.0badf00d.tmp",
      ".iamra-state.json.1.deadbeef.tmp",
      ".endpoint-token.7.00c0ffee.tmp",
    ];
    const foreign = [".app-cache.1.deadbeef.tmp", "notes.tmp", ".credentials.tmp"];
    for (const name of [...stale, ...foreign]) await writeFile(join(s.out, name), "partial");
    const r = await startRefresher(h, s);
    await r.refreshed(1);

    const took = r.cli.lines.find((l) => l.msg === "took over a stale lock");
    expect((took?.previous as { pid?: number } | undefined)?.pid, "took over the dead holder's lock").to.equal(gone);
    const removed = r.cli.lines.find((l) => l.msg === "removed stale temp files");
    expect([...((removed?.removed as string[] | undefined) ?? [])].sort()).to.deep.equal([...stale].sort());
    const names = await readdir(s.out);
    expect(
      names.filter((n) => stale.includes(n)),
      "stale temp files left",
    ).to.deep.equal([]);
    const kept = names.filter((n) => foreign.includes(n)).sort();
    expect(kept, "files that are not ours").to.deep.equal([...foreign].sort());
    const lock = JSON.parse(await readFile(join(s.out, ".iamra-refresher.lock"), "utf8")) as { pid: number };
    expect(lock.pid).to.equal(r.cli.pid);
    expect(await r.cli.stop()).to.deep.equal({ code: 0, signal: null });
  });

  it("after adopting init's credentials, reports its success and certificate expiry, logs the next refresh", async () => {
    const s = await makeScene(h);
    const init = await runCli(["init", "--session-duration", "900"], { env: s.env, timeoutMs: 30_000 });
    expect(init.code, init.stderr).to.equal(0);
    const state = JSON.parse(await readFile(join(s.out, "iamra-state.json"), "utf8")) as {
      accessKeyId: string;
      writtenAt: string;
      certificate: { notAfter: string };
    };
    const r = await startRefresher(h, s, ["--session-duration", "900"]);
    const adopted = await r.cli.waitFor((l) => l.msg === "adopted credentials already in the output directory");
    expect(adopted.accessKeyId).to.equal(state.accessKeyId);
    const next = await r.cli.waitFor((l) => l.msg === "next refresh scheduled", { timeoutMs: 5_000 });
    expect(Date.parse(next.nextRefreshAt as string)).to.be.greaterThan(Date.now());
    expect(r.keys(), "no refresh was needed").to.deep.equal([]);

    const text = await r.metrics();
    expect(metric(text, "iamra_last_success_timestamp_seconds")).to.equal(Date.parse(state.writtenAt) / 1000);
    const notAfterS = Date.parse(state.certificate.notAfter) / 1000;
    expect(metric(text, "iamra_certificate_expiry_timestamp_seconds")).to.equal(notAfterS);
    expect((await r.credentials()).body.AccessKeyId).to.equal(state.accessKeyId);
    expect(await r.cli.stop()).to.deep.equal({ code: 0, signal: null });
  });
});
